using System.Net;

namespace Mailroom.Server.View;

/// <summary>Name resolution for the image proxy (the system resolver in production; tests give names their own answers).</summary>
internal interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The system resolver (getaddrinfo: /etc/hosts, then DNS).</summary>
internal sealed class SystemHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}
