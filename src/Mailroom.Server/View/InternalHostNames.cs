namespace Mailroom.Server.View;

/// <summary>
/// Host names that can only ever be internal, refused where a URL is accepted (a webhook's URL, a URL the image proxy
/// signs) with the same message as an internal IP literal. Each is a name no public DNS answers for:
/// <c>localhost</c> and <c>*.localhost</c> (always loopback, RFC 6761 §6.3); <c>*.localdomain</c> (the hosts-file
/// alias of the machine itself, not a delegated domain); <c>*.local</c> (multicast DNS on the local link, RFC 6762);
/// <c>*.home.arpa</c> (home networks, RFC 8375); <c>*.internal</c> (reserved by ICANN for private use in 2024; cloud
/// metadata lives at <c>metadata.google.internal</c>); and single-label names (<c>intranet</c>, <c>metadata</c>), which
/// only a search domain or a hosts file can resolve. Reserved names that never resolve at all (<c>.invalid</c>,
/// <c>.test</c>, <c>.example</c>) are not internal and are left to the resolver. The check when connecting stays the
/// real guard: any other name that resolves to an internal address is refused then.
/// </summary>
internal static class InternalHostNames
{
    private static readonly (string Suffix, string Reason)[] Suffixes =
    [
        ("localhost", "localhost is always loopback (RFC 6761)"),
        ("localdomain", "a .localdomain name is the machine itself, never a public host"),
        ("local", "a .local name is multicast DNS on the local link (RFC 6762)"),
        ("home.arpa", "a .home.arpa name is a home network's (RFC 8375)"),
        ("internal", "the .internal domain is reserved for private networks (cloud metadata: metadata.google.internal)"),
    ];

    /// <summary>Why the host name can only be internal, or null. IP literals are for <see cref="EgressGuard"/>.</summary>
    public static string? RefusalReason(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = Canonical(host);
        if (name.Length == 0 || name.StartsWith('[') || System.Net.IPAddress.TryParse(name, out _))
            return null;
        // localhost.localdomain is loopback, not just the machine's alias: the first rule, ahead of .localdomain.
        if (IsLoopback(name))
            return Suffixes[0].Reason;
        foreach (var (suffix, reason) in Suffixes)
        {
            if (name == suffix || name.EndsWith("." + suffix, StringComparison.Ordinal))
                return reason;
        }

        return name.Contains('.', StringComparison.Ordinal) ? null : "a single-label name resolves only on a local network";
    }

    /// <summary>Whether the name is localhost's (<c>localhost</c>, <c>*.localhost</c>, <c>localhost.localdomain</c>): always loopback.</summary>
    public static bool IsLoopbackName(string host) => IsLoopback(Canonical(host));

    private static string Canonical(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();

    private static bool IsLoopback(string name) =>
        name is "localhost" or "localhost.localdomain" || name.EndsWith(".localhost", StringComparison.Ordinal);

    /// <summary>Why a URL's host (name or address) can only be internal, or null: the rule for URLs accepted before any connection.</summary>
    public static string? RefusalReason(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            ? System.Net.IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) ? EgressGuard.RefusalReason(address) : null
            : RefusalReason(url.IdnHost);
    }
}
