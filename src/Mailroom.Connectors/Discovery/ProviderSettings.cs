using Mailroom.Core.Accounts;

namespace Mailroom.Connectors.Discovery;

/// <summary>An operator-configured provider (<c>Discovery:Providers:N:...</c>), consulted before the built-in table.</summary>
public sealed class ProviderSettings
{
    public string Id { get; set; } = "";
    public string? Name { get; set; }
    public List<string> Domains { get; set; } = [];
    public List<string> MxSuffixes { get; set; } = [];
    public OAuthKind OAuth { get; set; }
    public List<ServerSettings> Servers { get; set; } = [];

    public sealed class ServerSettings
    {
        public MailProtocol Protocol { get; set; }
        public string Host { get; set; } = "";
        public int Port { get; set; }
        public TransportSecurity Security { get; set; } = TransportSecurity.Tls;
        public string UserName { get; set; } = UserNamePattern.Address;
    }

    internal MailProvider ToProvider()
    {
        if (Id.Length == 0 || Servers.Count == 0 || Servers.Any(s => s.Host.Length == 0 || s.Port is < 1 or > 65535))
            throw new InvalidOperationException($"Discovery:Providers: provider '{Id}' needs an Id and servers with Host and Port (1-65535).");
        if (Servers.Any(s => s.Security == TransportSecurity.None))
            throw new InvalidOperationException($"Discovery:Providers: provider '{Id}' lists a plaintext server; discovery offers TLS and STARTTLS only.");
        return new(Id, Name ?? Id, [.. Domains.Select(d => d.ToLowerInvariant())], [.. MxSuffixes], OAuth,
            [.. Servers.Select(s => new ServerCandidate(s.Protocol, s.Host, s.Port, s.Security, s.UserName))]);
    }
}
