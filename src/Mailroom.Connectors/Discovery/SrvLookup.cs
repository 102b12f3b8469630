using Mailroom.Core.Accounts;

namespace Mailroom.Connectors.Discovery;

/// <summary>
/// RFC 6186 SRV records (with RFC 8314's implicit-TLS services): <c>_imaps</c>/<c>_imap</c>, <c>_pop3s</c>/<c>_pop3</c>,
/// <c>_submissions</c>/<c>_submission</c> under <c>_tcp.DOMAIN</c>. A lone record with target "." says the service is
/// not offered. Per protocol, records of both services are ordered by priority across them (RFC 6186 §3.4), implicit
/// TLS first on equal priority (RFC 8314 §5.1), then by weight, heaviest first (a fixed order instead of RFC 2782's
/// weighted draw, so that a discovery is repeatable). The username is the whole address (RFC 6186 §4).
/// </summary>
internal sealed class SrvLookup(DnsLookup dns)
{
    internal static readonly (string Service, MailProtocol Protocol, TransportSecurity Security)[] Services =
    [
        ("_imaps", MailProtocol.Imap, TransportSecurity.Tls),
        ("_imap", MailProtocol.Imap, TransportSecurity.StartTls),
        ("_pop3s", MailProtocol.Pop3, TransportSecurity.Tls),
        ("_pop3", MailProtocol.Pop3, TransportSecurity.StartTls),
        ("_submissions", MailProtocol.Smtp, TransportSecurity.Tls),
        ("_submission", MailProtocol.Smtp, TransportSecurity.StartTls),
    ];

    public async Task<SourceFindings> FindAsync(MailAddress address, CancellationToken cancellationToken)
    {
        var queries = Services.Select(s => dns.SrvAsync($"{s.Service}._tcp.{address.Domain}", cancellationToken)).ToArray();
        var records = new List<SrvEntry>();
        var notes = new List<string>();
        for (var i = 0; i < Services.Length; i++)
        {
            var (service, protocol, security) = Services[i];
            var answer = await queries[i];
            if (answer.Count == 0)
                continue;
            if (answer.Count == 1 && answer[0].Target.Value.TrimEnd('.').Length == 0)
            {
                notes.Add($"{service}: not offered (target \".\")");
                continue;
            }
            records.AddRange(answer.Where(r => r.Target.Value.TrimEnd('.').Length > 0)
                .Select(r => new SrvEntry(protocol, security, r.Target.Value.TrimEnd('.'), r.Port, r.Priority, r.Weight)));
        }
        var candidates = Order(records).Select(r => new ServerCandidate(r.Protocol, r.Target, r.Port, r.Security, address.Address)).ToList();
        var detail = candidates.Count == 0 ? "no SRV records" : $"{candidates.Count} SRV records";
        if (notes.Count > 0)
            detail += "; " + string.Join("; ", notes);
        return candidates.Count == 0 ? SourceFindings.None(detail) : new SourceFindings(candidates, detail);
    }

    internal static IEnumerable<SrvEntry> Order(IEnumerable<SrvEntry> records) => records
        .OrderBy(r => r.Protocol)
        .ThenBy(r => r.Priority)
        .ThenBy(r => r.Security == TransportSecurity.Tls ? 0 : 1)
        .ThenByDescending(r => r.Weight);

    internal sealed record SrvEntry(MailProtocol Protocol, TransportSecurity Security, string Target, int Port, int Priority, int Weight);
}
