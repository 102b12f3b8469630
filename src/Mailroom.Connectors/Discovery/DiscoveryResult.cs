namespace Mailroom.Connectors.Discovery;

/// <summary>
/// The answer for one address: the verified servers of the winning source (each may be missing when that source
/// offers no such server that could be connected to), and a report per source.
/// </summary>
public sealed record DiscoveryResult(
    string Address,
    string Domain,
    DiscoverySource? Winner,
    string? ProviderName,
    OAuthKind OAuth,
    CandidateCheck? Imap,
    CandidateCheck? Pop3,
    CandidateCheck? Smtp,
    IReadOnlyList<SourceReport> Sources,
    TimeSpan Elapsed)
{
    public bool Found => Winner is not null;
}
