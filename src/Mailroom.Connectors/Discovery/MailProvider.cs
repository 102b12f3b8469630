namespace Mailroom.Connectors.Discovery;

/// <summary>
/// A mail provider's documented settings: the domains it hosts for itself, the MX host suffixes that mean a custom
/// domain is hosted there, and the servers. <see cref="ServerCandidate.UserName"/> in a template is a placeholder
/// pattern (<c>%EMAILADDRESS%</c>, <c>%EMAILLOCALPART%</c>), filled in per address.
/// </summary>
public sealed record MailProvider(
    string Id,
    string Name,
    IReadOnlyList<string> Domains,
    IReadOnlyList<string> MxSuffixes,
    OAuthKind OAuth,
    IReadOnlyList<ServerCandidate> Servers)
{
    public IEnumerable<ServerCandidate> ServersFor(MailAddress address) =>
        Servers.Select(s => s with { UserName = UserNamePattern.Expand(s.UserName, address) });
}
