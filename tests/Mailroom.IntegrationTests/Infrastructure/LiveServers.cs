namespace Mailroom.IntegrationTests.Infrastructure;

/// <summary>
/// The real servers started by <c>scripts/test-env.sh up</c> on 127.0.0.1, found through the environment it exports.
/// Tests that need them are skipped with a clear reason when they are absent, except under <c>scripts/test.sh</c>
/// (MAILROOM_REQUIRE_LIVE=1), where a missing server is a failure.
/// </summary>
public static class LiveServers
{
    public static string Host => Env("MAILROOM_TEST_IMAP_HOST") ?? "127.0.0.1";
    public static int ImapPort => int.Parse(Env("MAILROOM_TEST_IMAP_PORT") ?? "11143", System.Globalization.CultureInfo.InvariantCulture);
    public static int ImapsPort => int.Parse(Env("MAILROOM_TEST_IMAPS_PORT") ?? "11993", System.Globalization.CultureInfo.InvariantCulture);
    public static int Pop3Port => int.Parse(Env("MAILROOM_TEST_POP3_PORT") ?? "11110", System.Globalization.CultureInfo.InvariantCulture);
    public static int Pop3sPort => int.Parse(Env("MAILROOM_TEST_POP3S_PORT") ?? "11995", System.Globalization.CultureInfo.InvariantCulture);
    public static int SmtpPort => int.Parse(Env("MAILROOM_TEST_SMTP_PORT") ?? "11025", System.Globalization.CultureInfo.InvariantCulture);
    public static string? CaFile => Env("MAILROOM_TEST_CA");
    public static string? Doveadm => Env("MAILROOM_TEST_DOVEADM");
    public static string? PostgresConnectionString => Env("MAILROOM_TEST_PG");

    /// <summary>The dnsmasq serving the discovery test zones, as ADDRESS:PORT.</summary>
    public static string? Dns => Env("MAILROOM_TEST_DNS");

    /// <summary>Skips (or fails under test.sh) unless Dovecot is configured.</summary>
    public static void RequireDovecot()
    {
        if (Doveadm is null || CaFile is null)
            Missing("Dovecot (MAILROOM_TEST_DOVEADM, MAILROOM_TEST_CA)");
    }

    /// <summary>Skips (or fails under test.sh) unless the discovery DNS server and Dovecot are configured.</summary>
    public static string RequireDns()
    {
        RequireDovecot();
        if (Dns is null)
            Missing("the discovery DNS server (MAILROOM_TEST_DNS)");
        return Dns!;
    }

    /// <summary>
    /// The discovery DNS server with the Autodiscover records (autodiscover.ews.test, _autodiscover._tcp.srvews.test)
    /// and the fixed port the SRV record names, where the test starts its fake EWS.
    /// </summary>
    public static (string Dns, int EwsPort) RequireAutodiscover()
    {
        if (Dns is null || Env("MAILROOM_TEST_EWS_PORT") is not { } port || CaFile is null)
            Missing("the discovery DNS server with the Autodiscover records (MAILROOM_TEST_DNS, MAILROOM_TEST_EWS_PORT, MAILROOM_TEST_CA)");
        return (Dns!, int.Parse(Env("MAILROOM_TEST_EWS_PORT")!, System.Globalization.CultureInfo.InvariantCulture));
    }

    public static string RequirePostgres()
    {
        if (PostgresConnectionString is null)
            Missing("PostgreSQL (MAILROOM_TEST_PG)");
        return PostgresConnectionString!;
    }

    private static void Missing(string what)
    {
        var message = $"{what} not configured: run the suite with scripts/test.sh, or eval \"$(scripts/test-env.sh env)\" after scripts/test-env.sh up.";
        if (Env("MAILROOM_REQUIRE_LIVE") == "1")
            Assert.Fail(message);
        Assert.Skip(message);
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
}
