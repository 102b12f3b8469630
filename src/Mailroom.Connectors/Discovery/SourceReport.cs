namespace Mailroom.Connectors.Discovery;

/// <summary>What one source found, and why it did or did not give the answer.</summary>
public sealed record SourceReport(
    DiscoverySource Source,
    SourceOutcome Outcome,
    string Detail,
    TimeSpan Elapsed,
    IReadOnlyList<CandidateCheck> Candidates);
