using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Mailroom.Connectors.Imap;
using Mailroom.Connectors.Tests.Imap.Sessions;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.TestSupport.Imap;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace Mailroom.Connectors.Tests.Imap.Recording;

/// <summary>
/// Records the sessions of <see cref="DovecotScenarios"/> from the test Dovecot into Imap/Recordings/dovecot/ in the
/// source tree. Runs only when asked (MAILROOM_RECORD_IMAP=1, with the settings of scripts/test-env.sh env); otherwise
/// each test is skipped. The replay tests (Imap/Replay) need none of this.
/// </summary>
public sealed class ImapSessionRecorder : IImapScenarioHost, IAsyncDisposable
{
    private const string Variable = "MAILROOM_RECORD_IMAP";
    private const string WrongPassword = "not-the-password";
    private static readonly string Password = DovecotScenarios.User + "pass"; // scripts/lib/common.sh: mr_pass USER = USERpass

    private readonly string _host = Environment.GetEnvironmentVariable("MAILROOM_TEST_IMAP_HOST") ?? "127.0.0.1";
    private readonly int _port = int.Parse(Environment.GetEnvironmentVariable("MAILROOM_TEST_IMAP_PORT") ?? "11143", CultureInfo.InvariantCulture);
    private RecordingImapProxy? _proxyOrNull;
    private int _idles;

    private RecordingImapProxy Proxy => _proxyOrNull ?? throw new InvalidOperationException("Call Require() first.");

    /// <summary>Skips the test unless recording was asked for; else starts the recording proxy.</summary>
    private void Require()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
            Assert.Skip($"Records IMAP sessions from the test Dovecot only when {Variable}=1 (see Imap/Recordings/README.md).");
        _proxyOrNull = new RecordingImapProxy(_host, _port, [Password, WrongPassword]);
    }

    private static string Doveadm => Environment.GetEnvironmentVariable("MAILROOM_TEST_DOVEADM")
        ?? throw new InvalidOperationException("MAILROOM_TEST_DOVEADM is not set: eval \"$(scripts/test-env.sh env)\" first.");

    [Fact]
    public async Task Qresync()
    {
        Require();
        var ct = TestContext.Current.CancellationToken;
        await ResetFolderAsync(DovecotScenarios.QresyncFolder, 5, ct);
        var result = await DovecotScenarios.QresyncAsync(this, Password, ct);
        Assert.Equal([2u, 4u], result.Changes.Vanished);
        await SaveAsync("qresync", "QRESYNC: read a folder of five; after expunges, a flag change and an arrival, reconnect and UID FETCH CHANGEDSINCE with VANISHED", ct);
    }

    [Fact]
    public async Task Condstore()
    {
        Require();
        var ct = TestContext.Current.CancellationToken;
        await ResetFolderAsync(DovecotScenarios.CondstoreFolder, 4, ct);
        var result = await DovecotScenarios.CondstoreAsync(this, Password, ct);
        Assert.Null(result.Changes.Vanished);
        await SaveAsync("condstore", "CONDSTORE without QRESYNC: read a folder of four; after flag, keyword and expunge changes, reconnect and UID FETCH CHANGEDSINCE", ct);
    }

    [Fact]
    public async Task Notify()
    {
        Require();
        var ct = TestContext.Current.CancellationToken;
        await ResetFolderAsync(DovecotScenarios.NotifyFolder, 1, ct);
        await ResetFolderAsync(DovecotScenarios.NotifyOtherFolder, 1, ct);
        await DovecotScenarios.NotifyAsync(this, Password, ct);
        await SaveAsync("notify", "NOTIFY and IDLE: list folders, wait in one while a message arrives in another, then while one arrives in the same", ct);
    }

    [Fact]
    public async Task Wrong_password()
    {
        Require();
        var ct = TestContext.Current.CancellationToken;
        var error = await DovecotScenarios.WrongPasswordAsync(this, WrongPassword, ct);
        Assert.Equal(ConnectorErrorKind.AuthenticationFailed, error.Kind);
        await SaveAsync("wrong-password", "a login with a wrong password (the password is redacted)", ct);
    }

    [Fact]
    public async Task Missing_folders()
    {
        Require();
        var ct = TestContext.Current.CancellationToken;
        await ResetFolderAsync(DovecotScenarios.GoneFolder, 1, ct);
        // Between the connector's LIST and its EXAMINE another client deletes the folder, so the server answers NO.
        var deleted = false;
        Proxy.BeforeClientLine = async (line, token) =>
        {
            if (!deleted && line.Contains("EXAMINE " + DovecotScenarios.GoneFolder, StringComparison.Ordinal))
            {
                deleted = true;
                await WithClientAsync(c => c.GetFolder(DovecotScenarios.GoneFolder, token).DeleteAsync(token), token);
            }
        };
        await DovecotScenarios.MissingFoldersAsync(this, Password, ct);
        Assert.True(deleted);
        await SaveAsync("missing-folders", "open a folder that does not exist, then one deleted by another client between LIST and EXAMINE", ct);
    }

    [Fact]
    public async Task Bye()
    {
        Require();
        var ct = TestContext.Current.CancellationToken;
        await ResetFolderAsync(DovecotScenarios.ByeFolder, 2, ct);
        var (_, error) = await DovecotScenarios.ByeAsync(this, Password, ct);
        Assert.Equal(ConnectorErrorKind.Transient, error.Kind);
        await SaveAsync("bye", "the server says BYE and closes while a folder is open (doveadm kick), then the connector fetches", ct);
    }

    Task<IMailboxSession> IImapScenarioHost.ConnectAsync(ImapConnectorOptions options, string password, CancellationToken cancellationToken)
    {
        var settings = new MailboxSettings
        {
            Host = "127.0.0.1",
            Port = Proxy.Port,
            UserName = DovecotScenarios.User,
            Security = TransportSecurity.None,
            AllowPlaintext = true,
        };
        return new ImapConnector(NullLogger<ImapConnector>.Instance, options)
            .ConnectAsync(settings, MailboxCredential.Password(password), cancellationToken);
    }

    async Task IImapScenarioHost.ChangeServerAsync(string change, CancellationToken cancellationToken)
    {
        switch (change)
        {
            case DovecotScenarios.ExpungeFlagAndAppend:
                await WithFolderAsync(DovecotScenarios.QresyncFolder, async folder =>
                {
                    await folder.AddFlagsAsync([Uid(folder, 2), Uid(folder, 4)], MailKit.MessageFlags.Deleted, true, cancellationToken);
                    await folder.ExpungeAsync(cancellationToken);
                    await folder.AddFlagsAsync(Uid(folder, 3), MailKit.MessageFlags.Flagged, true, cancellationToken);
                    await folder.AppendAsync(Message(6), MailKit.MessageFlags.None, cancellationToken);
                }, cancellationToken);
                break;
            case DovecotScenarios.FlagKeywordAndExpunge:
                await WithFolderAsync(DovecotScenarios.CondstoreFolder, async folder =>
                {
                    await folder.AddFlagsAsync(Uid(folder, 1), MailKit.MessageFlags.Seen, true, cancellationToken);
                    await folder.StoreAsync(Uid(folder, 2), new StoreFlagsRequest(StoreAction.Add, MailKit.MessageFlags.Flagged)
                    {
                        Silent = true,
                        Keywords = { "$Forwarded" },
                    }, cancellationToken);
                    await folder.AddFlagsAsync(Uid(folder, 3), MailKit.MessageFlags.Deleted, true, cancellationToken);
                    await folder.ExpungeAsync(cancellationToken);
                }, cancellationToken);
                break;
            case DovecotScenarios.AppendToOther:
                await AppendWhileIdleAsync(DovecotScenarios.NotifyOtherFolder, cancellationToken);
                break;
            case DovecotScenarios.AppendToSame:
                await AppendWhileIdleAsync(DovecotScenarios.NotifyFolder, cancellationToken);
                break;
            case DovecotScenarios.Kick:
                await RunAsync(Doveadm + " kick " + DovecotScenarios.User, cancellationToken);
                await Proxy.WaitForServerLineAsync("* BYE", 1, cancellationToken);
                // Let the proxy see the server close the connection before the connector sends its next command.
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change, "The recorder does not know this change.");
        }
    }

    /// <summary>Appends once the connector is idling (its n-th IDLE on this connection), so the server announces it.</summary>
    private async Task AppendWhileIdleAsync(string folder, CancellationToken cancellationToken)
    {
        var n = ++_idles;
        await Proxy.WaitForServerLineAsync("+ idling", n, cancellationToken);
        await WithFolderAsync(folder, f => f.AppendAsync(Message(100 + n), MailKit.MessageFlags.None, cancellationToken), cancellationToken);
    }

    private async Task SaveAsync(string name, string scenario, CancellationToken cancellationToken)
    {
        var connections = Proxy.Connections();
        var greeting = connections[0].Lines[0].Text;
        var header = new Dictionary<string, string>
        {
            ["server"] = $"Dovecot {await RunAsync("dovecot --version", cancellationToken)} (the test Dovecot of scripts/test-env.sh) on {_host}:{_port}",
            ["greeting"] = greeting,
            ["recorded"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["scenario"] = scenario,
            ["user"] = $"{DovecotScenarios.User}, folders under {DovecotScenarios.Root}/",
            ["command"] = $"{Variable}=1 dotnet test tests/Mailroom.Connectors.Tests -c Release --filter \"FullyQualifiedName~{nameof(ImapSessionRecorder)}\" (after eval \"$(scripts/test-env.sh env)\")",
        };
        var path = Path.Combine(SourceDirectory(), "Imap", "Recordings", "dovecot", name + ".txt");
        ImapTranscript.Write(path, header, connections);
    }

    private static string SourceDirectory() =>
        typeof(ImapSessionRecorder).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "Mailroom.Tests.ProjectDirectory").Value!;

    private async Task ResetFolderAsync(string path, int messages, CancellationToken cancellationToken)
    {
        await WithClientAsync(async client =>
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            var existing = (await root.GetSubfoldersAsync(false, cancellationToken)).FirstOrDefault(f => f.Name == DovecotScenarios.Root)
                ?? await root.CreateAsync(DovecotScenarios.Root, false, cancellationToken)
                ?? throw new InvalidOperationException($"Dovecot did not create {DovecotScenarios.Root}.");
            var name = path[(DovecotScenarios.Root.Length + 1)..];
            foreach (var old in (await existing.GetSubfoldersAsync(false, cancellationToken)).Where(f => f.Name == name))
                await old.DeleteAsync(cancellationToken);
            var folder = await existing.CreateAsync(name, true, cancellationToken)
                ?? throw new InvalidOperationException($"Dovecot did not create {path}.");
            await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
            for (var i = 1; i <= messages; i++)
                await folder.AppendAsync(Message(i), MailKit.MessageFlags.None, cancellationToken);
        }, cancellationToken);
    }

    private Task WithFolderAsync(string path, Func<IMailFolder, Task> action, CancellationToken cancellationToken) =>
        WithClientAsync(async client =>
        {
            var folder = await client.GetFolderAsync(path, cancellationToken);
            await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
            await action(folder);
        }, cancellationToken);

    /// <summary>Another client, straight to Dovecot (not through the proxy, so it is not recorded).</summary>
    private async Task WithClientAsync(Func<ImapClient, Task> action, CancellationToken cancellationToken)
    {
        using var client = new ImapClient();
        await client.ConnectAsync(_host, _port, SecureSocketOptions.None, cancellationToken);
        await client.AuthenticateAsync(DovecotScenarios.User, Password, cancellationToken);
        await action(client);
        await client.DisconnectAsync(true, cancellationToken);
    }

    private static UniqueId Uid(IMailFolder folder, uint id) => new(folder.UidValidity, id);

    private static MimeMessage Message(int n)
    {
        var message = new MimeMessage
        {
            Subject = $"Replay message {n}",
            Date = new DateTimeOffset(2026, 12, 1, 9, n % 60, 0, TimeSpan.Zero),
            MessageId = $"replay-{n}@mailroom.test",
            Body = new TextPart("plain") { Text = $"Recorded IMAP session message {n}.\r\n" },
        };
        message.From.Add(new MailboxAddress("Replay Sender", "sender@mailroom.test"));
        message.To.Add(new MailboxAddress("Replay User", DovecotScenarios.User + "@mailroom.test"));
        return message;
    }

    private static async Task<string> RunAsync(string command, CancellationToken cancellationToken)
    {
        var parts = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = new ProcessStartInfo(parts[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in parts.Skip(1))
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{command} failed: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
        return output.Trim();
    }

    public ValueTask DisposeAsync() => _proxyOrNull?.DisposeAsync() ?? ValueTask.CompletedTask;
}
