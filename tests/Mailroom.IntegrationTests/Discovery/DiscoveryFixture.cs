using Mailroom.Connectors.Discovery;
using Mailroom.Core.Accounts;
using Mailroom.IntegrationTests.Infrastructure;

namespace Mailroom.IntegrationTests.Discovery;

/// <summary>
/// Discovery settings for the test zones of scripts/lib/dns.sh: the dnsmasq resolver, the autoconfig server's port,
/// the test CA, the test servers' ports for prefix guessing, and two providers (one by domain, one by MX suffix).
/// </summary>
internal static class DiscoveryFixture
{
    /// <summary>Nothing listens here (scripts/lib/dns.sh MR_DNS_CLOSED_PORT): records that name it must never be offered.</summary>
    public const int ClosedPort = 11001;

    /// <summary>
    /// With <paramref name="realTimeouts"/> false the deadlines are generous, so that a loaded machine cannot change which
    /// source wins; the tests of hanging servers keep the real (default) deadlines and measure them.
    /// </summary>
    public static DiscoveryOptions Options(int autoconfigPort, string? dnsServer = null, int? imapsProbePort = null, bool realTimeouts = false)
    {
        var options = BaseOptions(autoconfigPort, dnsServer, imapsProbePort);
        if (!realTimeouts)
        {
            options.LookupTimeout = TimeSpan.FromSeconds(5);
            options.ProbeTimeout = TimeSpan.FromSeconds(5);
            options.Timeout = TimeSpan.FromSeconds(12);
        }
        return options;
    }

    private static DiscoveryOptions BaseOptions(int autoconfigPort, string? dnsServer, int? imapsProbePort) => new()
    {
        DnsServer = dnsServer ?? LiveServers.Dns,
        AutoconfigPort = autoconfigPort,
        TrustedCaFile = LiveServers.CaFile,
        ProbePorts = new()
        {
            Imaps = imapsProbePort ?? LiveServers.ImapsPort,
            Imap = LiveServers.ImapPort,
            Pop3s = LiveServers.Pop3sPort,
            Pop3 = LiveServers.Pop3Port,
            Submissions = ClosedPort,
            Submission = LiveServers.SmtpPort,
        },
        Providers =
        [
            new()
            {
                Id = "provider-test", Name = "Provider Test", Domains = ["provider.test"],
                Servers =
                [
                    new() { Protocol = MailProtocol.Imap, Host = "localhost", Port = LiveServers.ImapsPort },
                    new() { Protocol = MailProtocol.Smtp, Host = "localhost", Port = LiveServers.SmtpPort, Security = TransportSecurity.StartTls },
                ],
            },
            new()
            {
                Id = "hosting-test", Name = "Test Hosting", MxSuffixes = ["hosting.test"], OAuth = OAuthKind.Google,
                Servers =
                [
                    new() { Protocol = MailProtocol.Imap, Host = "localhost", Port = LiveServers.ImapPort, Security = TransportSecurity.StartTls },
                    new() { Protocol = MailProtocol.Pop3, Host = "localhost", Port = LiveServers.Pop3sPort },
                ],
            },
        ],
    };

    /// <summary>The same settings as environment variables for the mailroom executable.</summary>
    public static Dictionary<string, string> Environment(int autoconfigPort)
    {
        var o = BaseOptions(autoconfigPort, null, null);
        var env = new Dictionary<string, string>
        {
            ["MAILROOM__Discovery__DnsServer"] = o.DnsServer!,
            ["MAILROOM__Discovery__AutoconfigPort"] = autoconfigPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MAILROOM__Discovery__TrustedCaFile"] = o.TrustedCaFile!,
            // Generous, as in Options(): the child process must not lose a race against a loaded machine.
            ["MAILROOM__Discovery__LookupTimeout"] = "00:00:05",
            ["MAILROOM__Discovery__ProbeTimeout"] = "00:00:05",
            ["MAILROOM__Discovery__Timeout"] = "00:00:12",
        };
        foreach (var (name, port) in new[] { ("Imaps", o.ProbePorts.Imaps), ("Imap", o.ProbePorts.Imap), ("Pop3s", o.ProbePorts.Pop3s),
            ("Pop3", o.ProbePorts.Pop3), ("Submissions", o.ProbePorts.Submissions), ("Submission", o.ProbePorts.Submission) })
            env[$"MAILROOM__Discovery__ProbePorts__{name}"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return env;
    }
}
