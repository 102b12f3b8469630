using Mailroom.Connectors.Discovery;
using Mailroom.Core.Accounts;

namespace Mailroom.Server.Cli;

/// <summary>The JSON shape of a discovery (<c>discover --json</c>): durations in milliseconds, enums in snake_case.</summary>
internal sealed record DiscoveryView(
    string Address,
    string Domain,
    bool Found,
    DiscoverySource? Source,
    string? Provider,
    OAuthKind Oauth,
    DiscoveryView.ServerView? Imap,
    DiscoveryView.ServerView? Pop3,
    DiscoveryView.ServerView? Smtp,
    long ElapsedMs,
    IReadOnlyList<DiscoveryView.SourceView> Sources)
{
    public static DiscoveryView From(DiscoveryResult r) => new(
        r.Address, r.Domain, r.Found, r.Winner, r.ProviderName, r.OAuth,
        Server(r.Imap), Server(r.Pop3), Server(r.Smtp), (long)r.Elapsed.TotalMilliseconds,
        [.. r.Sources.Select(s => new SourceView(s.Source, s.Outcome, s.Detail, (long)s.Elapsed.TotalMilliseconds,
            [.. s.Candidates.Select(c => new CandidateView(c.Candidate.Protocol, c.Candidate.Host, c.Candidate.Port, Security(c.Candidate.Security), c.Connected, c.Error))]))]);

    private static ServerView? Server(CandidateCheck? c) => c is null ? null
        : new(c.Candidate.Host, c.Candidate.Port, Security(c.Candidate.Security), c.Candidate.UserName, c.AuthenticationMechanisms);

    /// <summary>As <c>--security</c> and <c>account list</c> spell it: tls, starttls.</summary>
    private static string Security(TransportSecurity security) => EnumWords.Of(security);

    internal sealed record ServerView(string Host, int Port, string Security, string UserName, IReadOnlyList<string> AuthMechanisms);

    internal sealed record SourceView(DiscoverySource Source, SourceOutcome Outcome, string Detail, long ElapsedMs, IReadOnlyList<CandidateView> Candidates);

    internal sealed record CandidateView(MailProtocol Protocol, string Host, int Port, string Security, bool Connected, string? Error);
}
