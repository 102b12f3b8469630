using Mailroom.Core.Accounts;

namespace Mailroom.Connectors.Discovery;

/// <summary>
/// The last resort: common host names under the domain (<c>imap.</c>, <c>mail.</c>, <c>pop.</c>, <c>smtp.</c>), each on
/// the implicit-TLS and the STARTTLS port of its protocol. Names that do not resolve are dropped here; the rest are
/// probed in parallel like any candidate. The username is the whole address.
/// </summary>
internal sealed class PrefixLookup(DnsLookup dns, DiscoveryOptions options)
{
    private static readonly string[] Prefixes = ["imap", "mail", "pop", "pop3", "smtp"];

    public async Task<SourceFindings> FindAsync(MailAddress address, CancellationToken cancellationToken)
    {
        var hosts = Prefixes.Select(p => $"{p}.{address.Domain}").ToArray();
        var lookups = hosts.Select(h => dns.AddressesAsync(h, cancellationToken)).ToArray();
        await Task.WhenAll(lookups);
        var resolving = hosts.Where((_, i) => lookups[i].Result.Count > 0).ToHashSet(StringComparer.Ordinal);
        if (resolving.Count == 0)
            return SourceFindings.None($"none of {string.Join(", ", hosts)} resolves");
        var candidates = Guesses(address, options.ProbePorts).Where(c => resolving.Contains(c.Host)).ToList();
        return new SourceFindings(candidates, $"{string.Join(", ", resolving)} resolve");
    }

    /// <summary>Every guess in order of preference: implicit TLS before STARTTLS, the protocol's own name before mail.</summary>
    internal static IEnumerable<ServerCandidate> Guesses(MailAddress address, DiscoveryOptions.ProbePortSettings ports)
    {
        var d = address.Domain;
        var user = address.Address;
        foreach (var host in new[] { $"imap.{d}", $"mail.{d}" })
        {
            yield return new(MailProtocol.Imap, host, ports.Imaps, TransportSecurity.Tls, user);
            yield return new(MailProtocol.Imap, host, ports.Imap, TransportSecurity.StartTls, user);
        }
        foreach (var host in new[] { $"pop.{d}", $"pop3.{d}", $"mail.{d}" })
        {
            yield return new(MailProtocol.Pop3, host, ports.Pop3s, TransportSecurity.Tls, user);
            yield return new(MailProtocol.Pop3, host, ports.Pop3, TransportSecurity.StartTls, user);
        }
        foreach (var host in new[] { $"smtp.{d}", $"mail.{d}" })
        {
            yield return new(MailProtocol.Smtp, host, ports.Submissions, TransportSecurity.Tls, user);
            yield return new(MailProtocol.Smtp, host, ports.Submission, TransportSecurity.StartTls, user);
        }
    }
}
