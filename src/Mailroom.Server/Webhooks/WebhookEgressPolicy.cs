using System.Net;
using Mailroom.Server.View;

namespace Mailroom.Server.Webhooks;

/// <summary>
/// Where webhooks may connect: public unicast addresses (<see cref="EgressGuard"/>, the image proxy's rules) on any
/// port, plus the networks the operator allows (<see cref="WebhookOptions.AllowedNetworks"/>).
/// </summary>
internal sealed class WebhookEgressPolicy(WebhookOptions options) : IEgressPolicy
{
    public string? Refuse(IPAddress address, int port)
    {
        var reason = EgressGuard.RefusalReason(address);
        if (reason is null)
            return null;
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return options.ParsedNetworks.Any(n => n.Contains(plain)) ? null : reason + " (allow it with Webhooks:AllowedNetworks)";
    }
}
