using System.Globalization;
using System.Text;
using Mailroom.Connectors.Auth;
using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.IntegrationTests.Auth;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.TestSupport.Gmail;
using Mailroom.TestSupport.Imap;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.IntegrationTests.GmailApi;

/// <summary>
/// A Gmail mailbox synced over IMAP (a session scripted from recorded Gmail responses) switched to the Gmail API (the
/// fake serving the same message under the same id) and back: the identity (X-GM-MSGID) and thread (X-GM-THRID) are
/// shared, so neither switch downloads the message again, and the label folders stay the same folders.
/// </summary>
[Collection(OidcUserCollection.Name)]
public sealed class GmailProtocolSwitchTests : IDisposable
{
    private const string AllMail = "[Gmail]/All Mail";
    private const ulong MessageId34 = 1592225494819146134;
    private static readonly string Recordings = Path.Combine(AppContext.BaseDirectory, "Gmail", "Recordings");
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-gmailswitch-");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => TestArtifacts.DeleteFolder(_data);

    private static ImapExchange Step(string? command, string file) => ImapExchange.FromResponseFile(command, Path.Combine(Recordings, file));

    private static List<ImapExchange> Session(bool fetchBody) =>
    [
        Step(null, "greeting.txt"),
        Step("CAPABILITY", "capability.txt"),
        Step("AUTHENTICATE PLAIN AHVzZXJuYW1lAHBhc3N3b3Jk", "authenticate.txt"),
        Step("NAMESPACE", "namespace.txt"),
        Step("LIST \"\" \"INBOX\" RETURN (SUBSCRIBED CHILDREN)", "list-inbox.txt"),
        Step("XLIST \"\" \"*\"", "xlist.txt"),
        Step("LIST \"\" \"*\" RETURN (SUBSCRIBED CHILDREN)", "list-all.txt"),
        Step("EXAMINE \"[Gmail]/All Mail\" (CONDSTORE)", "examine-inbox.txt"),
        Step("UID FETCH 1:* (UID FLAGS INTERNALDATE X-GM-MSGID X-GM-THRID X-GM-LABELS)", "search-summary.txt"),
        .. fetchBody ? [Step("UID FETCH 34 (BODY.PEEK[])", "fetch.34.txt")] : Array.Empty<ImapExchange>(),
        Step("LOGOUT", "logout.txt"),
    ];

    /// <summary>The recorded body of UID 34, as the IMAP session delivers it (CRLF lines).</summary>
    private static byte[] Body34()
    {
        var reply = Step("UID FETCH 34 (BODY.PEEK[])", "fetch.34.txt").Reply;
        var wire = Encoding.Latin1.GetString(ScriptedImapServer.Rewrite(reply, new Dictionary<string, string>()));
        var start = wire.IndexOf("}\r\n", StringComparison.Ordinal) + 3;
        return Encoding.Latin1.GetBytes(wire.Substring(start, 6155));
    }

    [Fact]
    public async Task Switching_from_imap_to_the_api_and_back_downloads_nothing()
    {
        OidcProvider.Require();
        await using var imap = new ScriptedImapServer(new ImapScript(Session(fetchBody: true)), new ImapScript(Session(fetchBody: false)));
        var gmail = new FakeGmailMailbox();
        var label = gmail.AddLabel("Test Messages");
        var apiId = gmail.Add(MessageId34, MessageId34, Body34(), new DateTimeOffset(1993, 2, 4, 22, 27, 0, TimeSpan.Zero), label, "IMPORTANT");
        await using var api = await FakeGmailApi.StartAsync(gmail, new Uri(OidcProvider.Issuer), Ct);
        var settings = OidcProvider.Settings(TimeSpan.FromSeconds(5));
        settings["Sync:Since"] = "1992-11-01";
        settings["Imap:CommandTimeout"] = "00:00:20";
        settings["Gmail:ApiBaseUrl"] = api.Address.ToString();
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite, settings, _data);

        // Over IMAP first (the recorded session logs in with a password; the mailbox then gets an OAuth grant, as an
        // account moved to OAuth would, which the Gmail API needs).
        var org = await host.Accounts.EnsureOrganizationAsync("default", Ct);
        var mailbox = await host.Accounts.AddMailboxAsync(org, "gmail", MailboxProtocol.Imap, new MailboxSettings
        {
            Host = "127.0.0.1", Port = imap.Port, UserName = "username", Security = TransportSecurity.None, AllowPlaintext = true,
        }, host.Services.GetRequiredService<ISecretProtector>().Protect(SecretPurposes.MailboxPassword, "password"), Ct);
        var overImap = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal(1, overImap.MessagesFetched);

        await using var db = new SqliteConnection($"Data Source={Path.Combine(host.DataPath, "mailroom.db")}");
        await db.OpenAsync(Ct);
        var before = await RowsAsync(db);
        var tokens = await OidcProvider.DeviceFlowAsync(host, Ct);
        await ExecuteAsync(db, $"UPDATE mailboxes SET oauth_provider = '{OidcProvider.Name}' WHERE id = {mailbox.Id}");
        await host.Accounts.SaveOAuthTokensAsync(mailbox.Id, host.Services.GetRequiredService<MailboxCredentials>().Protect(tokens), Ct);

        Assert.True(await host.Accounts.SetMailboxProtocolAsync(mailbox.Id, MailboxProtocol.GmailApi, "127.0.0.1", imap.Port, Ct));
        mailbox = (await host.Accounts.FindMailboxAsync("gmail", Ct))!;
        var overApi = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal(0, overApi.MessagesFetched);
        Assert.Equal(0, host.Runner.LastCounters!.BodiesFetched);
        Assert.Equal(SyncPlanKind.FullReconcile, overApi.Plans[AllMail]);
        Assert.Equal(before, await RowsAsync(db));
        Assert.Equal(apiId, MessageId34.ToString("x", CultureInfo.InvariantCulture));

        // The API's incremental path sees a label change on the same message, in the same label folder.
        gmail.Relabel(apiId, [], ["IMPORTANT"]);
        await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.DoesNotContain(await RowsAsync(db), r => r.StartsWith("[Gmail]/Important|", StringComparison.Ordinal));
        gmail.Relabel(apiId, ["IMPORTANT"], []);
        await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal(before, await RowsAsync(db));

        // And back to IMAP: the same message is recognized by X-GM-MSGID, no UID FETCH BODY.PEEK[] (the script has none).
        // (The recorded session logs in with the password, so the mailbox goes back to it.)
        await ExecuteAsync(db, $"UPDATE mailboxes SET oauth_provider = NULL WHERE id = {mailbox.Id}");
        Assert.True(await host.Accounts.SetMailboxProtocolAsync(mailbox.Id, MailboxProtocol.Imap, "127.0.0.1", imap.Port, Ct));
        mailbox = (await host.Accounts.FindMailboxAsync("gmail", Ct))!;
        var back = await host.Runner.RunAsync(mailbox, null, Ct);
        await imap.AssertCompletedAsync();
        Assert.Equal(0, back.MessagesFetched);
        Assert.Equal(1, back.MessagesRecognized);
        Assert.Equal(before, await RowsAsync(db));
    }

    /// <summary>Messages and memberships in a comparable form: path, label, message identity, thread.</summary>
    private static async Task<List<string>> RowsAsync(SqliteConnection db)
    {
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT f.path, COALESCE(f.gmail_label, ''), m.identity_key, COALESCE(m.provider_thread_id, ''), m.id " +
                              "FROM folder_memberships fm JOIN folders f ON f.id = fm.folder_id JOIN messages m ON m.id = fm.message_id";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<string>();
        while (await reader.ReadAsync(Ct))
            rows.Add(string.Join('|', reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4)));
        rows.Add("messages:" + await CountAsync(db));
        return [.. rows.Order(StringComparer.Ordinal)];
    }

    private static async Task<long> CountAsync(SqliteConnection db)
    {
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM messages";
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static async Task ExecuteAsync(SqliteConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }
}
