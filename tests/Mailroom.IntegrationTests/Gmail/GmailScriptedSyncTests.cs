using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.TestSupport.Imap;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.IntegrationTests.Gmail;

/// <summary>
/// Gmail over IMAP through the real connector, sync and SQLite store, against sessions scripted from recorded Gmail
/// responses (MailKit's test recordings, see Recordings/README.md). No live server is needed.
/// </summary>
public sealed class GmailScriptedSyncTests
{
    private const string AllMail = "[Gmail]/All Mail";

    // UID 34 of the recorded session: X-GM-MSGID and X-GM-THRID 1592225494819146134, labels "Test Messages" and
    // "\\Important", INTERNALDATE 04-Feb-1993. The only recorded message after 1992-11-01, so a sync window from that day
    // fetches exactly the one body the recordings hold (fetch.34.txt).
    private const string MessageId34 = "1592225494819146134";

    private static readonly string Recordings = Path.Combine(AppContext.BaseDirectory, "Gmail", "Recordings");

    /// <summary>Connect, log in (user "username", password "password"), LIST, then open All Mail.</summary>
    private static List<ImapExchange> LoginAndOpenAllMail() =>
    [
        Step(null, "greeting.txt"),
        Step("CAPABILITY", "capability.txt"),
        Step("AUTHENTICATE PLAIN AHVzZXJuYW1lAHBhc3N3b3Jk", "authenticate.txt"),
        Step("NAMESPACE", "namespace.txt"),
        Step("LIST \"\" \"INBOX\" RETURN (SUBSCRIBED CHILDREN)", "list-inbox.txt"),
        Step("XLIST \"\" \"*\"", "xlist.txt"),
        Step("LIST \"\" \"*\" RETURN (SUBSCRIBED CHILDREN)", "list-all.txt"),
        Step("EXAMINE \"[Gmail]/All Mail\" (CONDSTORE)", "examine-inbox.txt"),
    ];

    private static readonly ImapExchange Logout = Step("LOGOUT", "logout.txt");

    /// <summary>The recorded response in <paramref name="file"/> answering <paramref name="command"/> (null: the greeting).</summary>
    private static ImapExchange Step(string? command, string file) => ImapExchange.FromResponseFile(command, Path.Combine(Recordings, file));

    [Fact]
    public async Task All_mail_is_synced_once_with_gmail_ids_and_labels_as_memberships_then_incrementally()
    {
        var ct = TestContext.Current.CancellationToken;
        List<ImapExchange> first =
        [
            .. LoginAndOpenAllMail(),
            Step("UID FETCH 1:* (UID FLAGS INTERNALDATE X-GM-MSGID X-GM-THRID X-GM-LABELS)", "search-summary.txt"),
            Step("UID FETCH 34 (BODY.PEEK[])", "fetch.34.txt"),
            Logout,
        ];
        // Nothing changed: HIGHESTMODSEQ, UIDNEXT and the count are those of the checkpoint, so All Mail is not even fetched.
        List<ImapExchange> second = [.. LoginAndOpenAllMail(), Logout];
        await using var server = new ScriptedImapServer(new ImapScript(first), new ImapScript(second));
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite, new Dictionary<string, string?>
        {
            ["Sync:Since"] = "1992-11-01",
            ["Imap:CommandTimeout"] = "00:00:20",
        });
        var mailbox = await AddAccountAsync(host, server.Port);

        var firstRun = await host.Runner.RunAsync(mailbox, null, ct);
        Assert.Empty(firstRun.FolderErrors);
        Assert.Equal(1, firstRun.MessagesFetched);
        Assert.Equal(SyncPlanKind.UidValidityReset, firstRun.Plans[AllMail]);

        var secondRun = await host.Runner.RunAsync(mailbox, null, ct);
        await server.AssertCompletedAsync();
        Assert.Empty(secondRun.FolderErrors);
        Assert.Equal(0, secondRun.MessagesFetched);
        Assert.Equal(0, host.Runner.LastCounters!.BodiesFetched);
        Assert.Equal(SyncPlanKind.NothingToDo, secondRun.Plans[AllMail]);

        await using var db = new SqliteConnection($"Data Source={Path.Combine(host.DataPath, "mailroom.db")}");
        await db.OpenAsync(ct);

        // One message: identity from X-GM-MSGID, thread from X-GM-THRID.
        var messages = await QueryAsync(db, "SELECT id, identity_key, provider_thread_id, message_id_header FROM messages", ct);
        var message = Assert.Single(messages);
        Assert.Equal("p:gm:" + MessageId34, message[1]);
        Assert.Equal(MessageId34, message[2]);
        Assert.Equal("9302042227.AA17392@thumper.bellcore.com", message[3]);

        // Three memberships of that one message: All Mail (selected, a real folder) and one per label, all with All
        // Mail's UID and flags.
        var memberships = await QueryAsync(db,
            "SELECT f.path, f.gmail_label, m.uid, m.flags, m.message_id FROM folder_memberships m JOIN folders f ON f.id = m.folder_id", ct);
        Assert.Equal(
            [
                $"Test Messages|Test Messages|34|1|{message[0]}",
                $"{AllMail}||34|1|{message[0]}",
                $"[Gmail]/Important|\\Important|34|1|{message[0]}",
            ],
            memberships.Select(r => string.Join('|', r)).Order(StringComparer.Ordinal));

        // All Mail is checkpointed with the server's count, the label folders never are (they are never selected).
        var folders = await QueryAsync(db, "SELECT path, uid_validity, remote_count FROM folders", ct);
        Assert.Equal(
            ["Test Messages||", $"{AllMail}|637172988|270", "[Gmail]/Important||"],
            folders.Select(r => string.Join('|', r)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_command_the_script_does_not_expect_fails_the_session()
    {
        var ct = TestContext.Current.CancellationToken;
        List<ImapExchange> script = [Step(null, "greeting.txt"), Step("CAPABILITY", "capability.txt"), Step("NOOP", "namespace.txt")];
        await using var server = new ScriptedImapServer(new ImapScript(script));
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite, new Dictionary<string, string?> { ["Imap:CommandTimeout"] = "00:00:20" });
        var mailbox = await AddAccountAsync(host, server.Port);

        await Assert.ThrowsAnyAsync<Exception>(() => host.Runner.RunAsync(mailbox, null, ct));
        var failure = await Assert.ThrowsAnyAsync<Exception>(server.AssertCompletedAsync);
        Assert.Contains("expected \"NOOP\", received \"AUTHENTICATE PLAIN", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recordings_are_replayed_with_crlf_and_the_client_tag()
    {
        var recorded = Step("UID FETCH 34 (BODY.PEEK[])", "fetch.34.txt");
        var tags = new Dictionary<string, string> { [ImapExchange.TagOf(recorded.ClientLine!)!] = "C00000009" };
        var wire = System.Text.Encoding.Latin1.GetString(ScriptedImapServer.Rewrite(recorded.Reply, tags));

        Assert.StartsWith("* 34 FETCH (UID 34 BODY[] {6155}\r\n", wire, StringComparison.Ordinal);
        Assert.EndsWith("\r\n)\r\nC00000009 OK Success\r\n", wire, StringComparison.Ordinal);
        // The literal's length is exact once lines end in CRLF, as they did on the wire.
        var body = wire.IndexOf("}\r\n", StringComparison.Ordinal) + 3;
        Assert.Equal(6155, wire.IndexOf("\r\n)\r\nC00000009", StringComparison.Ordinal) + 2 - body);
    }

    private static async Task<MailboxRecord> AddAccountAsync(MailroomTestHost host, int port)
    {
        var settings = new MailboxSettings
        {
            Host = "127.0.0.1",
            Port = port,
            UserName = "username",
            Security = TransportSecurity.None,
            AllowPlaintext = true,
        };
        var secret = host.Services.GetRequiredService<ISecretProtector>().Protect(SecretPurposes.MailboxPassword, "password");
        var org = await host.Accounts.EnsureOrganizationAsync("default", CancellationToken.None);
        return await host.Accounts.AddMailboxAsync(org, "gmail", MailboxProtocol.Imap, settings, secret, CancellationToken.None);
    }

    private static async Task<List<string?[]>> QueryAsync(SqliteConnection db, string sql, CancellationToken ct)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<string?[]>();
        while (await reader.ReadAsync(ct))
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
            rows.Add(row);
        }
        return rows;
    }
}
