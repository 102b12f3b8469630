using System.Net;
using System.Net.Sockets;
using System.Text;
using Mailroom.IntegrationTests.Infrastructure;

namespace Mailroom.IntegrationTests.Cli;

/// <summary>The <c>mailroom account</c> commands as a person runs them, against the live Dovecot.</summary>
public sealed class AccountCliTests : IDisposable
{
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-cli-");

    [Fact]
    public async Task Plaintext_is_refused_without_allow_plaintext()
    {
        var result = await MailroomProcess.RunAsync(
            ["--data", _data, "account", "add", "--imap", "127.0.0.1:11143", "--user", "mr4", "--password-stdin", "--security", "none"],
            stdin: "mr4pass\n");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--allow-plaintext", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_output_and_json_use_the_words_users_type()
    {
        var help = await MailroomProcess.RunAsync(["account", "add", "--help"]);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--security <tls|starttls|none>", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--smtp-security <tls|starttls|none>", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--scope <all|contacts>", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("[default: tls]", help.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("StartTls", help.Stdout, StringComparison.Ordinal);

        var add = await MailroomProcess.RunAsync(
            ["--data", _data, "account", "add", "--imap", "127.0.0.1:1", "--user", "words", "--address", "Words@Example.test", "--security", "STARTTLS",
             "--scope", "contacts", "--smtp", "127.0.0.1:2", "--password-stdin", "--no-verify", "--name", "words"],
            stdin: "pw\n");
        Assert.True(add.ExitCode == 0, add.Stderr);
        Assert.Contains("imap 127.0.0.1:1 starttls, address words@example.test, smtp 127.0.0.1:2 starttls.", add.Stdout, StringComparison.Ordinal);

        var list = await MailroomProcess.RunAsync(["--data", _data, "account", "list"]);
        Assert.Equal(0, list.ExitCode);
        Assert.Matches(@"words\s+imap\s+127\.0\.0\.1:1 starttls\s+words@example\.test\s+new\s", list.Stdout);
        var json = await MailroomProcess.RunAsync(["--data", _data, "account", "list", "--json"]);
        Assert.Contains("\"security\": \"starttls\"", json.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"scope\": \"contacts\"", json.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"state\": \"new\"", json.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"protocol\": \"imap\"", json.Stdout, StringComparison.Ordinal);

        var wrong = await MailroomProcess.RunAsync(["--data", _data, "account", "add", "--imap", "h", "--user", "u", "--security", "ssl"]);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("--security must be tls, starttls or none (was 'ssl')", wrong.Stdout + wrong.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_account_is_verified_saved_and_listed_without_its_password()
    {
        LiveServers.RequireDovecot();
        const string password = "mr4pass";
        var add = await MailroomProcess.RunAsync(
            ["--data", _data, "account", "add", "--imap", $"{LiveServers.Host}:{LiveServers.ImapsPort}", "--user", "mr4",
             "--password-stdin", "--ca-file", LiveServers.CaFile!, "--json"],
            stdin: password + "\n");
        Assert.True(add.ExitCode == 0, add.Stderr);
        Assert.Contains("\"security\": \"tls\"", add.Stdout, StringComparison.Ordinal);

        var list = await MailroomProcess.RunAsync(["--data", _data, "account", "list", "--json"]);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("mr4@127.0.0.1", list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(password, list.Stdout + add.Stdout + add.Stderr + list.Stderr, StringComparison.Ordinal);

        // At rest: neither the database nor anything else in the data folder holds the password in clear.
        foreach (var file in Directory.EnumerateFiles(_data, "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
            Assert.False(ContainsAscii(bytes, password), $"{file} contains the password in clear");
        }
        // The key ring's keys are themselves encrypted (with the key-ring certificate).
        var keys = Directory.GetFiles(Path.Combine(_data, "keys"), "key-*.xml");
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.Contains("encryptedSecret", File.ReadAllText(k), StringComparison.Ordinal));

        var remove = await MailroomProcess.RunAsync(["--data", _data, "account", "remove", "mr4@127.0.0.1"]);
        Assert.Equal(0, remove.ExitCode);
        var again = await MailroomProcess.RunAsync(["--data", _data, "account", "remove", "mr4@127.0.0.1"]);
        Assert.Equal(3, again.ExitCode);
    }

    [Fact]
    public async Task Db_option_puts_accounts_in_postgresql()
    {
        LiveServers.RequireDovecot();
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(LiveServers.RequirePostgres())
        {
            Database = "mailroom_cli_" + Guid.NewGuid().ToString("N")[..12],
        };
        var add = await MailroomProcess.RunAsync(
            ["--data", _data, "--db", builder.ConnectionString, "account", "add", "--imap", $"{LiveServers.Host}:{LiveServers.ImapsPort}",
             "--user", "mr6", "--password-stdin", "--ca-file", LiveServers.CaFile!, "--name", "pg-account"],
            stdin: "mr6pass\n");
        Assert.True(add.ExitCode == 0, add.Stderr);

        var viaEnvironment = await MailroomProcess.RunAsync(["--data", _data, "account", "list", "--json"],
            environment: new Dictionary<string, string> { ["MAILROOM__Storage__ConnectionString"] = builder.ConnectionString });
        Assert.Contains("pg-account", viaEnvironment.Stdout, StringComparison.Ordinal);
        var sqlite = await MailroomProcess.RunAsync(["--data", _data, "account", "list", "--json"]);
        Assert.DoesNotContain("pg-account", sqlite.Stdout, StringComparison.Ordinal);

        var sync = await MailroomProcess.RunAsync(["--data", _data, "--db", builder.ConnectionString, "sync", "pg-account", "--json"]);
        Assert.True(sync.ExitCode == 0, sync.Stderr);
        Assert.Contains("\"ok\": true", sync.Stdout, StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, System.Text.Json.JsonDocument.Parse(sync.Stdout).RootElement.ValueKind);
        await MailroomTestHost.DropPostgresDatabaseAsync(builder.ConnectionString);
    }

    [Fact]
    public async Task Wrong_password_is_reported_without_echoing_it()
    {
        LiveServers.RequireDovecot();
        const string wrong = "not-the-password-4711";
        var result = await MailroomProcess.RunAsync(
            ["--data", _data, "account", "add", "--imap", $"{LiveServers.Host}:{LiveServers.ImapPort}", "--user", "mr4",
             "--password-stdin", "--security", "starttls", "--ca-file", LiveServers.CaFile!],
            stdin: wrong + "\n");
        Assert.Equal(4, result.ExitCode);
        Assert.DoesNotContain(wrong, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Untrusted_certificate_is_refused()
    {
        LiveServers.RequireDovecot();
        var result = await MailroomProcess.RunAsync(
            ["--data", _data, "account", "add", "--imap", $"{LiveServers.Host}:{LiveServers.ImapsPort}", "--user", "mr4", "--password-stdin"],
            stdin: "mr4pass\n");
        Assert.Equal(6, result.ExitCode);
    }

    [Fact]
    public async Task Starttls_fails_when_the_server_does_not_offer_it()
    {
        // A server that greets without STARTTLS: the connect must fail, never fall back to plaintext.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptTcpClientAsync();
            var stream = socket.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] no tls here\r\n"));
            while (await reader.ReadLineAsync() is { } line)
            {
                var tag = line.Split(' ')[0];
                var reply = line.Contains("CAPABILITY", StringComparison.OrdinalIgnoreCase)
                    ? $"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n{tag} OK done\r\n"
                    : line.Contains("LOGIN", StringComparison.OrdinalIgnoreCase) ? $"{tag} NO never in plaintext\r\n"
                    : $"* BYE\r\n{tag} OK bye\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(reply));
            }
        }, TestContext.Current.CancellationToken);

        var result = await MailroomProcess.RunAsync(
            ["--data", _data, "account", "add", "--imap", $"127.0.0.1:{port}", "--user", "someone", "--password-stdin", "--security", "starttls"],
            stdin: "secret\n");
        Assert.Equal(6, result.ExitCode);
        Assert.Contains("STARTTLS", result.Stderr, StringComparison.OrdinalIgnoreCase);
        listener.Stop();
        await server.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public void Dispose() => TestArtifacts.DeleteFolder(_data);

    private static bool ContainsAscii(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle)) >= 0
        || haystack.AsSpan().IndexOf(Encoding.Unicode.GetBytes(needle)) >= 0;
}
