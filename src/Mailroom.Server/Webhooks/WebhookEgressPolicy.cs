using System.Net;
using Mailroom.Server.View;

namespace Mailroom.Server.Webhooks;

/// <summary>
/// Where webhooks may connect: public unicast addresses (<see cref="EgressGuard"/>, the image proxy's rules) on any
/// port, plus the networks the operator allows (<see cref="WebhookOptions.AllowedNetworks"/>).
/// </summary>
internal sealed class WebhookEgressPolicy(WebhookOptions options) : IEgressPolicy
{
    /// <summary>
    /// Why a host name that can only be internal (<see cref="InternalHostNames"/>) is refused when a subscription is
    /// made, or null. Like an IP literal, it passes when the operator allows where it leads: a loopback name
    /// (localhost) when an allowed network holds 127.0.0.1 or ::1, any other internal name when an allowed network is
    /// not loopback only (its address is not known before it is resolved; the check when dialling then decides).
    /// </summary>
    public string? RefuseName(string host)
    {
        if (InternalHostNames.RefusalReason(host) is not { } reason)
            return null;
        var allowed = InternalHostNames.IsLoopbackName(host)
            ? options.ParsedNetworks.Any(n => n.Contains(IPAddress.Loopback) || n.Contains(IPAddress.IPv6Loopback))
            : options.ParsedNetworks.Any(n => !IPAddress.IsLoopback(n.BaseAddress));
        return allowed ? null : reason + " (allow it with Webhooks:AllowedNetworks)";
    }

    public string? Refuse(IPAddress address, int port)
    {
        var reason = EgressGuard.RefusalReason(address);
        if (reason is null)
            return null;
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return options.ParsedNetworks.Any(n => n.Contains(plain)) ? null : reason + " (allow it with Webhooks:AllowedNetworks)";
    }
}
