using System.Net;

namespace Mailroom.Server.View;

/// <summary>The production egress policy: public unicast addresses (<see cref="EgressGuard"/>) on the allowed ports only.</summary>
internal sealed class PublicInternetPolicy(ImageProxyOptions options) : IEgressPolicy
{
    public string? Refuse(IPAddress address, int port) =>
        EgressGuard.RefusalReason(address) ?? (options.AllowedPorts.Contains(port) ? null : $"port {port} is not allowed");
}
