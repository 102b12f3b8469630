using System.Diagnostics;
using System.Text.Json;
using Mailroom.IntegrationTests.Infrastructure;

namespace Mailroom.IntegrationTests.Discovery;

/// <summary><c>mailroom discover</c> and <c>mailroom account add ADDRESS</c> as a person runs them, against the test zones.</summary>
[Collection(DiscoveryCollection.Name)]
public sealed class DiscoveryCliTests : IDisposable
{
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-discover-");

    private static async Task<Dictionary<string, string>> EnvironmentAsync()
    {
        LiveServers.RequireDns();
        return DiscoveryFixture.Environment((await AutoconfigServer.SharedAsync()).Port);
    }

    [Fact]
    public async Task Discover_json_names_the_winning_source_and_why_the_others_did_not_win()
    {
        var environment = await EnvironmentAsync();
        var clock = Stopwatch.StartNew();
        var run = await MailroomProcess.RunAsync(["discover", "mr5@srv.test", "--json"], environment: environment);
        var wall = clock.Elapsed;

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.True(root.GetProperty("found").GetBoolean());
        Assert.Equal("srv", root.GetProperty("source").GetString());
        var imap = root.GetProperty("imap");
        Assert.True(("localhost", LiveServers.ImapsPort, "tls", "mr5@srv.test") ==
            (imap.GetProperty("host").GetString(), imap.GetProperty("port").GetInt32(), imap.GetProperty("security").GetString(), imap.GetProperty("userName").GetString()),
            run.Stdout);
        Assert.Equal("starttls", root.GetProperty("smtp").GetProperty("security").GetString());
        var outcomes = root.GetProperty("sources").EnumerateArray()
            .ToDictionary(s => s.GetProperty("source").GetString()!, s => s.GetProperty("outcome").GetString());
        Assert.Equal(new Dictionary<string, string?>
        {
            ["provider"] = "not_found", ["autoconfig"] = "not_found", ["srv"] = "won", ["mx"] = "not_found", ["prefix"] = "not_found",
        }, outcomes);
        var closed = root.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("source").GetString() == "srv")
            .GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("port").GetInt32() == DiscoveryFixture.ClosedPort);
        Assert.False(closed.GetProperty("connected").GetBoolean());
        Assert.Contains("ConnectionRefused", closed.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("elapsedMs").GetInt64() < 5000, $"discovery took {root.GetProperty("elapsedMs")} ms (process: {wall})");
    }

    [Fact]
    public async Task Discover_text_and_exit_codes_for_nothing_found_and_a_bad_address()
    {
        var environment = await EnvironmentAsync();
        var none = await MailroomProcess.RunAsync(["discover", "mr5@nosuch.test"], environment: environment);
        Assert.Equal(3, none.ExitCode);
        Assert.Contains("nothing found", none.Stdout, StringComparison.Ordinal);
        Assert.Contains("no working settings found for nosuch.test", none.Stderr, StringComparison.Ordinal);

        var bad = await MailroomProcess.RunAsync(["discover", "not-an-address"], environment: environment);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("not an email address", bad.Stderr, StringComparison.Ordinal);

        var text = await MailroomProcess.RunAsync(["discover", "mr5@auto.test"], environment: environment);
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("found by autoconfig", text.Stdout, StringComparison.Ordinal);
        Assert.Contains($"IMAP  localhost:{LiveServers.ImapsPort} tls", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Account_add_with_only_an_address_discovers_the_server_and_logs_in()
    {
        var environment = await EnvironmentAsync();
        // This test is about which settings are used, not about speed (the JSON test checks the 5 s answer): on a
        // loaded machine a cold process's probe of the autoconfig candidate can take longer than the default 2 s,
        // and a lower-precedence source would then win.
        environment["MAILROOM__Discovery__Timeout"] = "00:00:30";
        environment["MAILROOM__Discovery__LookupTimeout"] = "00:00:10";
        environment["MAILROOM__Discovery__ProbeTimeout"] = "00:00:10";
        var add = await MailroomProcess.RunAsync(["--data", _data, "account", "add", "mr5@auto.test", "--password-stdin", "--json"],
            stdin: "mr5pass\n", environment: environment);
        Assert.True(add.ExitCode == 0, add.Stderr);
        using var json = JsonDocument.Parse(add.Stdout);
        Assert.Equal("mr5@localhost", json.RootElement.GetProperty("name").GetString());
        Assert.Contains($"\"port\": {LiveServers.ImapsPort}", add.Stdout, StringComparison.Ordinal);

        // The discovered settings are really used for the login: a wrong password is refused by Dovecot.
        var refused = await MailroomProcess.RunAsync(["--data", _data, "account", "add", "mr6@auto.test", "--password-stdin", "--name", "other"],
            stdin: "wrong\n", environment: environment);
        Assert.Equal(4, refused.ExitCode);

        var unknown = await MailroomProcess.RunAsync(["--data", _data, "account", "add", "mr5@nosuch.test", "--password-stdin"],
            stdin: "mr5pass\n", environment: environment);
        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains("--imap or --pop3", unknown.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => TestArtifacts.DeleteFolder(_data);
}
