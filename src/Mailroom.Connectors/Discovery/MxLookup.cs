namespace Mailroom.Connectors.Discovery;

/// <summary>MX records of the domain, most preferred first, matched against the provider table's MX suffixes.</summary>
internal sealed class MxLookup(DnsLookup dns, ProviderTable providers)
{
    public async Task<SourceFindings> FindAsync(MailAddress address, CancellationToken cancellationToken)
    {
        var records = await dns.MxAsync(address.Domain, cancellationToken);
        if (records.Count == 0)
            return SourceFindings.None("no MX records");
        foreach (var record in records)
        {
            var host = record.Exchange.Value.TrimEnd('.');
            if (providers.ByMxHost(host) is { } provider)
                return new SourceFindings([.. provider.ServersFor(address)], $"MX {host} is {provider.Name}", provider);
        }
        return SourceFindings.None($"MX {string.Join(", ", records.Select(r => r.Exchange.Value.TrimEnd('.')))}: no known provider");
    }
}
