using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors.Discovery;

/// <summary>
/// Finds IMAP, POP3 and SMTP settings from an address alone. Every source starts at once, each with its own deadline;
/// every server a source names is connected to (TLS and greeting, no login) before it can be offered. The answer is
/// the highest-precedence source with a reachable IMAP or POP3 server; as soon as it is known, the sources below it
/// are stopped. Nothing waits past <see cref="DiscoveryOptions.Timeout"/>.
/// </summary>
public sealed class MailDiscovery : IDisposable
{
    private static readonly TimeSpan LookupMargin = TimeSpan.FromMilliseconds(250);
    private readonly DiscoveryOptions _options;
    private readonly ILogger<MailDiscovery> _logger;
    private readonly ProviderTable _providers;
    private readonly CandidateProber _prober;
    private readonly AutoconfigLookup _autoconfig;
    private readonly SrvLookup _srv;
    private readonly MxLookup _mx;
    private readonly PrefixLookup _prefix;

    public MailDiscovery(DiscoveryOptions options, ILogger<MailDiscovery> logger)
    {
        options.Validate();
        _options = options;
        _logger = logger;
        _providers = new ProviderTable(options.Providers.Select(p => p.ToProvider()));
        var dns = new DnsLookup(options);
        _prober = new CandidateProber(dns, options);
        _autoconfig = new AutoconfigLookup(dns, options);
        _srv = new SrvLookup(dns);
        _mx = new MxLookup(dns, _providers);
        _prefix = new PrefixLookup(dns, options);
    }

    public async Task<DiscoveryResult> DiscoverAsync(MailAddress address, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(_options.Timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
        var probes = new ConcurrentDictionary<(MailProtocol, string, int, Core.Accounts.TransportSecurity), Lazy<Task<CandidateCheck>>>();

        Task<SourceRun> Start(DiscoverySource source, Func<CancellationToken, Task<SourceFindings>> find) =>
            Task.Run(() => RunAsync(source, find, probes, clock, stop.Token), CancellationToken.None);

        Task<SourceRun>[] runs =
        [
            Start(DiscoverySource.Provider, _ => Task.FromResult(FromTable(address))),
            Start(DiscoverySource.Autoconfig, t => _autoconfig.FindAsync(address, t)),
            Start(DiscoverySource.Srv, t => _srv.FindAsync(address, t)),
            Start(DiscoverySource.Mx, t => _mx.FindAsync(address, t)),
            Start(DiscoverySource.Prefix, t => _prefix.FindAsync(address, t)),
        ];

        var winner = -1;
        for (var i = 0; i < runs.Length && winner < 0; i++)
        {
            try
            {
                if ((await runs[i].WaitAsync(overall.Token)).HasIncoming)
                    winner = i;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break; // the overall deadline: what has not answered by now has timed out
            }
        }
        await stop.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        var elapsed = clock.Elapsed;

        var reports = new List<SourceReport>();
        for (var i = 0; i < runs.Length; i++)
        {
            var source = (DiscoverySource)i;
            if (!runs[i].IsCompletedSuccessfully)
            {
                reports.Add(winner >= 0
                    ? new SourceReport(source, SourceOutcome.NotNeeded, $"stopped: {(DiscoverySource)winner} answered first", elapsed, [])
                    : new SourceReport(source, SourceOutcome.TimedOut, $"no answer within {_options.Timeout.TotalSeconds:0.#} s", elapsed, []));
                continue;
            }
            var run = runs[i].Result;
            var outcome = i == winner ? SourceOutcome.Won : run.HasIncoming ? SourceOutcome.LowerPrecedence : run.Outcome;
            reports.Add(new SourceReport(source, outcome, run.Detail, run.Elapsed, run.Checks));
        }
        foreach (var r in reports)
            Log.DiscoverySource(_logger, address.Domain, r.Source, r.Outcome, r.Detail);

        if (winner < 0)
            return new DiscoveryResult(address.Address, address.Domain, null, null, OAuthKind.None, null, null, null, reports, elapsed);
        var won = runs[winner].Result;
        CandidateCheck? First(MailProtocol p) => won.Checks.FirstOrDefault(c => c.Connected && c.Candidate.Protocol == p);
        var imap = First(MailProtocol.Imap);
        var pop3 = First(MailProtocol.Pop3);
        var provider = won.Provider ?? _providers.ByServerHost((imap ?? pop3)!.Candidate.Host);
        return new DiscoveryResult(address.Address, address.Domain, (DiscoverySource)winner, provider?.Name, provider?.OAuth ?? OAuthKind.None,
            imap, pop3, First(MailProtocol.Smtp), reports, elapsed);
    }

    private SourceFindings FromTable(MailAddress address) => _providers.ByDomain(address.Domain) is { } provider
        ? new SourceFindings([.. provider.ServersFor(address)], $"{address.Domain} is {provider.Name}", provider)
        : SourceFindings.None($"{address.Domain} is not in the provider table");

    private async Task<SourceRun> RunAsync(
        DiscoverySource source,
        Func<CancellationToken, Task<SourceFindings>> find,
        ConcurrentDictionary<(MailProtocol, string, int, Core.Accounts.TransportSecurity), Lazy<Task<CandidateCheck>>> probes,
        Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var started = clock.Elapsed;
        SourceRun Done(SourceOutcome outcome, string detail, IReadOnlyList<CandidateCheck>? checks = null, MailProvider? provider = null) =>
            new(outcome, detail, clock.Elapsed - started, checks ?? [], provider);

        SourceFindings findings;
        using (var lookup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            // Each query and download has its own deadline; this one catches a look-up that ignores its own.
            lookup.CancelAfter(_options.LookupTimeout + LookupMargin);
            try
            {
                findings = await find(lookup.Token).WaitAsync(lookup.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Done(SourceOutcome.TimedOut, $"no answer within {_options.LookupTimeout.TotalSeconds:0.#} s");
            }
            catch (TimeoutException ex)
            {
                return Done(SourceOutcome.TimedOut, ex.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return Done(SourceOutcome.Failed, ex is DiscoveryFailure ? ex.Message : $"{ex.GetType().Name}: {ex.Message}");
            }
        }
        if (findings.Candidates.Count == 0)
            return Done(SourceOutcome.NotFound, findings.Detail);

        var checks = await Task.WhenAll(findings.Candidates.Select(async c =>
        {
            var key = (c.Protocol, c.Host.ToLowerInvariant(), c.Port, c.Security);
            var check = await probes.GetOrAdd(key, _ => new Lazy<Task<CandidateCheck>>(() => _prober.ProbeAsync(c, cancellationToken))).Value;
            return check with { Candidate = c };
        }));
        var incoming = checks.Any(c => c.Connected && c.Candidate.Protocol != MailProtocol.Smtp);
        return incoming
            ? Done(SourceOutcome.LowerPrecedence, findings.Detail, checks, findings.Provider)
            : Done(SourceOutcome.FailedToConnect, findings.Detail + "; no IMAP or POP3 server could be connected to", checks, findings.Provider);
    }

    public void Dispose() => _autoconfig.Dispose();

    private sealed record SourceRun(SourceOutcome Outcome, string Detail, TimeSpan Elapsed, IReadOnlyList<CandidateCheck> Checks, MailProvider? Provider)
    {
        public bool HasIncoming => Checks.Any(c => c.Connected && c.Candidate.Protocol != MailProtocol.Smtp);
    }
}
