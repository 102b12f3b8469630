using Mailroom.Core.Accounts;

namespace Mailroom.Connectors.Discovery;

/// <summary>A server a source suggests for one protocol, not yet connected to.</summary>
public sealed record ServerCandidate(MailProtocol Protocol, string Host, int Port, TransportSecurity Security, string UserName)
{
    public override string ToString() => $"{Protocol.ToString().ToUpperInvariant()} {Host}:{Port} {Security}";
}
