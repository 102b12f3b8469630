namespace Mailroom.Connectors.Discovery;

/// <summary>What a source found before anything was connected to: candidates in its order of preference, or none and why.</summary>
internal sealed record SourceFindings(IReadOnlyList<ServerCandidate> Candidates, string Detail, MailProvider? Provider = null)
{
    public static SourceFindings None(string why) => new([], why);
}
