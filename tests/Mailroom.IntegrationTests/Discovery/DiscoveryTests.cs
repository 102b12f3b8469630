using System.Diagnostics;
using Mailroom.Connectors.Discovery;
using Mailroom.Core.Accounts;
using Mailroom.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mailroom.IntegrationTests.Discovery;

/// <summary>
/// Discovery against real servers on 127.0.0.1: dnsmasq with the zones of scripts/lib/dns.sh, a Kestrel HTTPS server
/// with autoconfig documents, and the test Dovecot and Postfix that every offered server must be.
/// </summary>
[Collection(DiscoveryCollection.Name)]
public sealed class DiscoveryTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    private static async Task<(DiscoveryResult Result, TimeSpan Wall)> DiscoverAsync(string address, DiscoveryOptions options)
    {
        using var discovery = new MailDiscovery(options, NullLogger<MailDiscovery>.Instance);
        Assert.True(MailAddress.TryParse(address, out var parsed, out var error), error);
        var clock = Stopwatch.StartNew();
        var result = await discovery.DiscoverAsync(parsed!, TestContext.Current.CancellationToken);
        return (result, clock.Elapsed);
    }

    private static async Task<DiscoveryOptions> OptionsAsync()
    {
        LiveServers.RequireDns();
        return DiscoveryFixture.Options((await AutoconfigServer.SharedAsync()).Port);
    }

    private static SourceReport Report(DiscoveryResult result, DiscoverySource source) => result.Sources.Single(s => s.Source == source);

    private static void AssertServer(CandidateCheck? check, string host, int port, TransportSecurity security)
    {
        Assert.NotNull(check);
        Assert.True(check.Connected);
        Assert.Equal((host, port, security), (check.Candidate.Host, check.Candidate.Port, check.Candidate.Security));
    }

    /// <summary>No offered server is one that failed, and every failed candidate says why.</summary>
    private static void AssertNothingUnverifiedOffered(DiscoveryResult result)
    {
        foreach (var offered in new[] { result.Imap, result.Pop3, result.Smtp }.OfType<CandidateCheck>())
        {
            Assert.True(offered.Connected);
            Assert.NotEqual(DiscoveryFixture.ClosedPort, offered.Candidate.Port);
        }
        Assert.All(result.Sources.SelectMany(s => s.Candidates).Where(c => !c.Connected), c => Assert.False(string.IsNullOrEmpty(c.Error)));
    }

    [Fact]
    public async Task Provider_table_wins_for_a_domain_it_knows()
    {
        var (result, wall) = await DiscoverAsync("mr5@provider.test", await OptionsAsync());

        Assert.Equal(DiscoverySource.Provider, result.Winner);
        Assert.Equal("Provider Test", result.ProviderName);
        AssertServer(result.Imap, "localhost", LiveServers.ImapsPort, TransportSecurity.Tls);
        AssertServer(result.Smtp, "localhost", LiveServers.SmtpPort, TransportSecurity.StartTls);
        Assert.Equal("mr5@provider.test", result.Imap!.Candidate.UserName);
        Assert.Contains("PLAIN", result.Imap.AuthenticationMechanisms);
        // provider.test also has an SRV record: it is below the table.
        Assert.Contains(Report(result, DiscoverySource.Srv).Outcome, new[] { SourceOutcome.LowerPrecedence, SourceOutcome.NotNeeded });
    }

    [Fact]
    public async Task Autoconfig_document_at_the_autoconfig_host_wins_over_srv()
    {
        var server = await AutoconfigServer.SharedAsync();
        var (result, wall) = await DiscoverAsync("mr5@auto.test", await OptionsAsync());

        Assert.Equal(DiscoverySource.Autoconfig, result.Winner);
        AssertServer(result.Imap, "localhost", LiveServers.ImapsPort, TransportSecurity.Tls);
        AssertServer(result.Pop3, "localhost", LiveServers.Pop3sPort, TransportSecurity.Tls);
        AssertServer(result.Smtp, "localhost", LiveServers.SmtpPort, TransportSecurity.StartTls);
        Assert.Equal("mr5", result.Imap!.Candidate.UserName); // %EMAILLOCALPART%
        var autoconfig = Report(result, DiscoverySource.Autoconfig);
        Assert.Contains("plaintext", autoconfig.Detail, StringComparison.Ordinal);
        var closed = Assert.Single(autoconfig.Candidates, c => c.Candidate.Port == DiscoveryFixture.ClosedPort);
        Assert.False(closed.Connected);
        Assert.Contains(Report(result, DiscoverySource.Srv).Outcome, new[] { SourceOutcome.LowerPrecedence, SourceOutcome.NotNeeded });
        Assert.Contains("autoconfig.auto.test /mail/config-v1.1.xml", server.Requests);
        AssertNothingUnverifiedOffered(result);
    }

    [Fact]
    public async Task Autoconfig_document_under_well_known_is_used_when_there_is_no_autoconfig_host()
    {
        var (result, _) = await DiscoverAsync("mr5@wellknown.test", await OptionsAsync());

        Assert.Equal(DiscoverySource.Autoconfig, result.Winner);
        AssertServer(result.Imap, "localhost", LiveServers.ImapPort, TransportSecurity.StartTls);
        Assert.Equal("mr5@wellknown.test", result.Imap!.Candidate.UserName);
        Assert.Contains("/.well-known/autoconfig/mail/config-v1.1.xml", Report(result, DiscoverySource.Autoconfig).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Srv_records_win_and_an_unreachable_or_withdrawn_service_is_never_offered()
    {
        var (result, wall) = await DiscoverAsync("mr5@srv.test", await OptionsAsync());

        Assert.Equal(DiscoverySource.Srv, result.Winner);
        // The priority-0 _imaps record points at a closed port: the priority-10 one is offered, not _imap (20).
        AssertServer(result.Imap, "localhost", LiveServers.ImapsPort, TransportSecurity.Tls);
        AssertServer(result.Pop3, "localhost", LiveServers.Pop3sPort, TransportSecurity.Tls);
        AssertServer(result.Smtp, "localhost", LiveServers.SmtpPort, TransportSecurity.StartTls);
        var srv = Report(result, DiscoverySource.Srv);
        Assert.Equal(SourceOutcome.Won, srv.Outcome);
        Assert.Contains("_submissions: not offered", srv.Detail, StringComparison.Ordinal);
        Assert.Contains("_pop3: not offered", srv.Detail, StringComparison.Ordinal);
        Assert.Contains(srv.Candidates, c => c.Candidate.Port == DiscoveryFixture.ClosedPort && !c.Connected);
        Assert.Equal(SourceOutcome.NotFound, Report(result, DiscoverySource.Provider).Outcome);
        Assert.Equal(SourceOutcome.NotFound, Report(result, DiscoverySource.Autoconfig).Outcome);
        AssertNothingUnverifiedOffered(result);
    }

    [Fact]
    public async Task Mx_records_at_a_known_provider_win()
    {
        var (result, _) = await DiscoverAsync("mr5@mx.test", await OptionsAsync());

        Assert.Equal(DiscoverySource.Mx, result.Winner);
        Assert.Equal("Test Hosting", result.ProviderName);
        Assert.Equal(OAuthKind.Google, result.OAuth);
        AssertServer(result.Imap, "localhost", LiveServers.ImapPort, TransportSecurity.StartTls);
        Assert.Contains("mx1.hosting.test", Report(result, DiscoverySource.Mx).Detail, StringComparison.Ordinal);
        Assert.Equal(SourceOutcome.NotFound, Report(result, DiscoverySource.Srv).Outcome);
    }

    [Fact]
    public async Task Prefix_guessing_wins_last_and_a_server_whose_certificate_does_not_match_is_never_offered()
    {
        var (result, wall) = await DiscoverAsync("mr5@mailroom.test", await OptionsAsync());

        Assert.Equal(DiscoverySource.Prefix, result.Winner);
        // imap.mailroom.test resolves and answers, but the test certificate does not name it.
        AssertServer(result.Imap, "mail.mailroom.test", LiveServers.ImapsPort, TransportSecurity.Tls);
        AssertServer(result.Pop3, "mail.mailroom.test", LiveServers.Pop3sPort, TransportSecurity.Tls);
        AssertServer(result.Smtp, "mail.mailroom.test", LiveServers.SmtpPort, TransportSecurity.StartTls);
        var prefix = Report(result, DiscoverySource.Prefix);
        var imapHost = prefix.Candidates.Where(c => c.Candidate.Host == "imap.mailroom.test").ToList();
        Assert.NotEmpty(imapHost);
        Assert.All(imapHost, c => Assert.Contains("does not name imap.mailroom.test", c.Error, StringComparison.Ordinal));
        Assert.Contains("no known provider", Report(result, DiscoverySource.Mx).Detail, StringComparison.Ordinal);
        AssertNothingUnverifiedOffered(result);
    }

    [Fact]
    public async Task A_hanging_autoconfig_server_times_out_and_the_next_source_answers_within_5_s()
    {
        using var silent = new SilentServers();
        LiveServers.RequireDns();
        var (result, wall) = await DiscoverAsync("mr5@slow.test", DiscoveryFixture.Options(silent.TcpPort, realTimeouts: true));

        Assert.Equal(DiscoverySource.Srv, result.Winner);
        AssertServer(result.Imap, "localhost", LiveServers.ImapsPort, TransportSecurity.Tls);
        Assert.Equal(SourceOutcome.TimedOut, Report(result, DiscoverySource.Autoconfig).Outcome);
        Assert.True(silent.Accepted > 0, "the autoconfig request never reached the hanging server");
        Assert.True(wall < Limit, $"took {wall}");
    }

    [Fact]
    public async Task A_mail_server_that_accepts_and_never_answers_is_not_offered_and_does_not_hold_the_answer()
    {
        using var silent = new SilentServers();
        LiveServers.RequireDns();
        var options = DiscoveryFixture.Options((await AutoconfigServer.SharedAsync()).Port, imapsProbePort: silent.TcpPort, realTimeouts: true);
        var (result, wall) = await DiscoverAsync("mr5@mailroom.test", options);

        Assert.Equal(DiscoverySource.Prefix, result.Winner);
        AssertServer(result.Imap, "mail.mailroom.test", LiveServers.ImapPort, TransportSecurity.StartTls);
        var hung = Report(result, DiscoverySource.Prefix).Candidates.Where(c => c.Candidate.Port == silent.TcpPort).ToList();
        Assert.NotEmpty(hung);
        Assert.All(hung, c => Assert.False(c.Connected));
        Assert.Contains(hung, c => c.Error!.Contains("no answer within", StringComparison.Ordinal));
        Assert.True(wall < Limit, $"took {wall}");
    }

    [Fact]
    public async Task A_dns_server_that_never_replies_ends_in_timeouts_within_5_s()
    {
        using var silent = new SilentServers();
        LiveServers.RequireDns();
        var options = DiscoveryFixture.Options((await AutoconfigServer.SharedAsync()).Port, dnsServer: silent.UdpEndPoint, realTimeouts: true);
        var (result, wall) = await DiscoverAsync("mr5@srv.test", options);

        Assert.False(result.Found);
        Assert.Null(result.Imap);
        Assert.Equal(SourceOutcome.NotFound, Report(result, DiscoverySource.Provider).Outcome);
        foreach (var source in new[] { DiscoverySource.Autoconfig, DiscoverySource.Srv, DiscoverySource.Mx, DiscoverySource.Prefix })
            Assert.Equal(SourceOutcome.TimedOut, Report(result, source).Outcome);
        Assert.True(wall < Limit, $"took {wall}");
    }

    [Fact]
    public async Task An_unknown_domain_is_not_found_by_any_source()
    {
        var (result, _) = await DiscoverAsync("mr5@nosuch.test", await OptionsAsync());

        Assert.False(result.Found);
        Assert.All(result.Sources, s => Assert.Equal(SourceOutcome.NotFound, s.Outcome));
    }
}
