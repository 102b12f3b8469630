using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Mailroom.Server.Api;

/// <summary>
/// One-time, expiring links that start an OAuth connection (<c>/oauth/start?link=TOKEN</c>): an application makes one
/// with its API key (<c>POST /v1/oauth/links</c>) and hands it to its user, who needs no Mailroom account. The link
/// carries the checked connection and the key's organization; the token is 256 random bits, of which only a hash is
/// kept, and it is taken on first use. Like the authorization states, links live in this process's memory: the link
/// must be opened on the node that made it, and a restart forgets them (make a new one).
/// </summary>
internal sealed class OAuthLinks(TimeProvider time)
{
    /// <summary>How long a link may wait to be opened, at most (and by default).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, Link> _links = new(StringComparer.Ordinal);

    public (string Token, DateTimeOffset ExpiresAt) Create(long organizationId, OAuthConnection connection, TimeSpan lifetime)
    {
        Sweep();
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var expires = time.GetUtcNow() + lifetime;
        _links[Hash(token)] = new Link(organizationId, connection, expires);
        return (token, expires);
    }

    /// <summary>Takes the link (it cannot be used again). Null when unknown, used or expired.</summary>
    public (long OrganizationId, OAuthConnection Connection)? Take(string token)
    {
        if (token.Length is 0 or > 100 || !_links.TryRemove(Hash(token), out var link) || link.ExpiresAt <= time.GetUtcNow())
            return null;
        return (link.OrganizationId, link.Connection);
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (key, value) in _links)
        {
            if (value.ExpiresAt <= now)
                _links.TryRemove(key, out _);
        }
    }

    // Kept by hash, so that the memory of the process (a dump, a debugger) does not hold usable links.
    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed record Link(long OrganizationId, OAuthConnection Connection, DateTimeOffset ExpiresAt);
}
