using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.Server.Accounts;
using Mailroom.TestSupport.Ews;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static Mailroom.IntegrationTests.Infrastructure.SqliteProbe;

namespace Mailroom.IntegrationTests.Ews;

/// <summary>
/// The EWS protocol end to end in one process: the real onboarding (login checked at the fake), sync runner and SQLite
/// store against the stateful fake EWS, which validates every request against Exchange's schemas.
/// </summary>
public sealed class EwsSyncTests : IDisposable
{
    internal const string User = @"MAILROOM\mr17";
    internal const string Password = "ews-test-password";
    internal const string Address = "mr17@mailroom.test";
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-ews-");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => TestArtifacts.DeleteFolder(_data);

    internal static byte[] Raw(int n, string? inReplyTo = null) => Encoding.ASCII.GetBytes(
        $"From: Sender {n} <sender{n % 7}@example.com>\r\nTo: {Address}\r\nSubject: Message {n}\r\n" +
        $"Date: {new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(n):R}\r\nMessage-ID: <e{n}@example.com>\r\n" +
        (inReplyTo is null ? "" : $"In-Reply-To: {inReplyTo}\r\n") +
        $"Content-Type: text/plain; charset=us-ascii\r\n\r\nBody of message {n}.\r\n");

    /// <summary>Localized folder names, a nested folder, and mail in junk and deleted items (never synced).</summary>
    internal static FakeEwsMailbox Mailbox(int messages, out List<string> ids)
    {
        var mailbox = new FakeEwsMailbox();
        var projects = mailbox.AddFolder(mailbox.Root, "Projekte");
        var sales = mailbox.AddFolder(projects, "Vertrieb");
        ids = [];
        for (var n = 1; n <= messages; n++)
        {
            ids.Add(mailbox.Deliver(n % 10 == 0 ? sales : mailbox.FolderId("inbox"), Raw(n), isRead: n % 3 != 0,
                conversationId: "conv-" + (n / 2).ToString(CultureInfo.InvariantCulture)));
        }
        mailbox.Deliver(mailbox.FolderId("junkemail"), Raw(9001));
        mailbox.Deliver(mailbox.FolderId("deleteditems"), Raw(9002));
        return mailbox;
    }

    private Task<(MailroomTestHost Host, FakeEwsServer Server, MailboxRecord Mailbox)> StartAsync(
        FakeEwsMailbox mailbox, EwsAuthentication authentication = EwsAuthentication.Basic) => StartAsync(_data, mailbox, authentication);

    /// <summary>The fake EWS over <paramref name="mailbox"/>, a test host on <paramref name="data"/>, and the mailbox added through onboarding.</summary>
    internal static async Task<(MailroomTestHost Host, FakeEwsServer Server, MailboxRecord Mailbox)> StartAsync(
        string data, FakeEwsMailbox mailbox, EwsAuthentication authentication = EwsAuthentication.Basic, Dictionary<string, string?>? extra = null)
    {
        var server = await FakeEwsServer.StartAsync(mailbox, User, Password, Ct);
        server.Ntlm = authentication == EwsAuthentication.Ntlm;
        var settings = new Dictionary<string, string?>
        {
            ["Ews:MaxChangesReturned"] = "25",
            ["Ews:GetItemBatchSize"] = "10",
            ["Ews:RetryInitial"] = "00:00:00.050",
        };
        foreach (var (key, value) in extra ?? [])
            settings[key] = value;
        var host = await MailroomTestHost.StartAsync(Database.Sqlite, settings, data);
        var result = await host.Services.GetRequiredService<MailboxOnboarding>().AddAsync(new OnboardingRequest
        {
            OrganizationId = await host.Accounts.EnsureOrganizationAsync("default", Ct),
            Protocol = MailboxProtocol.Ews,
            Address = Address,
            UserName = User,
            Url = server.Url.ToString(),
            EwsAuthentication = authentication,
            TrustedCaFile = FakeEwsServer.TestCa,
        }, OnboardingSecret.FromPassword(Password), Ct);
        Assert.True(result.Mailbox is not null, result.Error);
        return (host, server, result.Mailbox);
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var db = new SqliteConnection($"Data Source={Path.Combine(_data, "mailroom.db")}");
        await db.OpenAsync(Ct);
        return db;
    }

    private static string Identity(FakeEwsMailbox mailbox, string itemId)
    {
        var item = mailbox.Find(itemId)!;
        return $"p:ews:{item.InternetMessageId}#{item.Mime.Length}";
    }

    [Fact]
    public async Task First_sync_pages_every_folder_with_roles_then_unchanged_costs_one_request_per_folder_and_changes_follow()
    {
        var (host, server, mailbox) = await StartAsync(Mailbox(120, out var ids));
        await using var _h = host;
        await using var _s = server;
        Assert.Equal(MailboxProtocol.Ews, mailbox.Protocol);
        Assert.Equal(server.Url, mailbox.Settings.ServiceUrl);

        var first = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Empty(first.FolderErrors);
        Assert.Equal(120, first.MessagesFetched);
        Assert.Equal(120, server.MimeServed);
        // Bodies in GetItem batches of 10 per SyncFolderItems page of 25: 108 in the inbox (pages 25, 25, 25, 25, 8:
        // 3 + 3 + 3 + 3 + 1 requests) and 12 in Vertrieb (10 + 2): 15 requests for 120 messages, not 120.
        Assert.Equal(15, server.Operations.Count(o => o == "GetItem"));
        await using var db = await OpenAsync();
        Assert.Equal(120L, await ScalarAsync(db, "SELECT COUNT(*) FROM messages"));
        Assert.Equal(108L, await CountInAsync(db, "Posteingang"));
        Assert.Equal(12L, await CountInAsync(db, "Projekte/Vertrieb"));
        Assert.Equal("Archive, Drafts, Inbox, None, None, Sent", string.Join(", ", await TextsAsync(db, "SELECT role FROM folders ORDER BY role")));
        Assert.Equal("Inbox", await TextAsync(db, "SELECT role FROM folders WHERE path = 'Posteingang'"));
        Assert.Equal(0L, await ScalarAsync(db, "SELECT COUNT(*) FROM folders WHERE path IN ('Gelöschte Elemente', 'Junk-E-Mail', 'Kalender', 'Kontakte')"));
        Assert.Equal(1L, await ScalarAsync(db, $"SELECT COUNT(*) FROM messages WHERE identity_key = '{Identity(server.Mailbox, ids[6])}' AND provider_thread_id = 'conv-3'"));
        Assert.Equal(40L, await ScalarAsync(db, "SELECT COUNT(*) FROM folder_memberships WHERE (flags & 1) = 0"));
        Assert.Equal(6L, await ScalarAsync(db, "SELECT COUNT(*) FROM folders WHERE sync_token IS NOT NULL"));
        Assert.Equal(1L, await ScalarAsync(db, "SELECT COUNT(*) FROM mailboxes WHERE sync_token IS NOT NULL"));

        // Unchanged: one SyncFolderHierarchy and one SyncFolderItems per folder, nothing written.
        var before = server.Operations.Count;
        var unchanged = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.All(unchanged.Plans.Values, k => Assert.Equal(SyncPlanKind.NothingToDo, k));
        Assert.Equal(["SyncFolderHierarchy", .. Enumerable.Repeat("SyncFolderItems", 6)], server.Operations.Skip(before));

        var m = server.Mailbox;
        m.SetRead(ids[2], true);               // was unread (3 % 3 == 0)
        var movedTo = m.Move(ids[1], m.FolderId("archive"));
        m.Delete(ids[3]);
        m.Deliver(m.FolderId("inbox"), Raw(121, "<e120@example.com>"), conversationId: "conv-60");
        var served = server.MimeServed;
        var changes = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Empty(changes.FolderErrors);
        Assert.Equal(1, changes.MessagesFetched); // the moved message is attached by Message-ID and size, not downloaded
        Assert.Equal(served + 1, server.MimeServed);
        Assert.Equal(1, changes.MessagesRecognized);
        Assert.Equal(107L, await CountInAsync(db, "Posteingang"));
        Assert.Equal(1L, await CountInAsync(db, "Archiv"));
        Assert.Equal(1L, await ScalarAsync(db, $"SELECT COUNT(*) FROM folder_memberships WHERE remote_id = '{movedTo}'"));
        Assert.Equal(0L, await ScalarAsync(db, $"SELECT COUNT(*) FROM folder_memberships WHERE remote_id IN ('{ids[1]}', '{ids[3]}')"));
        Assert.Equal(1L, await ScalarAsync(db, $"SELECT COUNT(*) FROM folder_memberships WHERE remote_id = '{ids[2]}' AND (flags & 1) = 1"));
        Assert.Equal(121L, await ScalarAsync(db, "SELECT COUNT(*) FROM messages"));
        // The reply joins its parent's conversation.
        Assert.Equal(1L, await ScalarAsync(db,
            "SELECT COUNT(DISTINCT thread_id) FROM messages WHERE message_id_header IN ('e120@example.com', 'e121@example.com', '<e120@example.com>', '<e121@example.com>')"));
        Assert.Empty(server.Problems);
    }

    [Fact]
    public async Task An_invalid_sync_state_reconciles_without_downloading_known_messages_again()
    {
        var (host, server, mailbox) = await StartAsync(Mailbox(60, out var ids));
        await using var _h = host;
        await using var _s = server;
        await host.Runner.RunAsync(mailbox, null, Ct);
        var m = server.Mailbox;
        m.Delete(ids[0]);
        m.Move(ids[1], m.FolderId("archive"));
        m.SetRead(ids[3], false);
        m.Deliver(m.FolderId("inbox"), Raw(61));
        m.InvalidateSyncStates();
        var served = server.MimeServed;

        var summary = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Empty(summary.FolderErrors);
        Assert.Equal(SyncPlanKind.FullReconcile, summary.Plans["Posteingang"]);
        Assert.Equal(1, summary.MessagesFetched);
        Assert.Equal(served + 1, server.MimeServed);
        await using var db = await OpenAsync();
        Assert.Equal(53L, await CountInAsync(db, "Posteingang")); // 54 - deleted - moved + new
        Assert.Equal(1L, await CountInAsync(db, "Archiv"));
        Assert.Equal(0L, await ScalarAsync(db, $"SELECT COUNT(*) FROM folder_memberships WHERE remote_id = '{ids[0]}'"));
        Assert.Equal(1L, await ScalarAsync(db, $"SELECT COUNT(*) FROM folder_memberships WHERE remote_id = '{ids[3]}' AND (flags & 1) = 0"));
        Assert.Equal(61L, await ScalarAsync(db, "SELECT COUNT(*) FROM messages"));

        var again = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.All(again.Plans.Values, k => Assert.Equal(SyncPlanKind.NothingToDo, k));
        Assert.Empty(server.Problems);
    }

    [Fact]
    public async Task A_renamed_folder_keeps_its_messages_and_a_server_busy_storm_is_waited_out_for_its_backoff()
    {
        var (host, server, mailbox) = await StartAsync(Mailbox(30, out _));
        await using var _h = host;
        await using var _s = server;
        server.ServerBusyNext(3, 300);
        var watch = Stopwatch.StartNew();
        var first = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal(30, first.MessagesFetched);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"BackOffMilliseconds not honoured: {watch.Elapsed}");

        var m = server.Mailbox;
        m.RenameFolder(m.Folders().Single(f => f.DisplayName == "Projekte").Id, "Projects");
        var second = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal(0, second.MessagesFetched);
        await using var db = await OpenAsync();
        Assert.Equal("Archiv, Entwürfe, Gesendete Elemente, Posteingang, Projects, Projects/Vertrieb",
            string.Join(", ", await TextsAsync(db, "SELECT path FROM folders ORDER BY path")));
        Assert.Equal(3L, await CountInAsync(db, "Projects/Vertrieb"));
        Assert.Equal(30L, await ScalarAsync(db, "SELECT COUNT(*) FROM messages"));
        Assert.Empty(server.Problems);
    }

    [Fact]
    public async Task Ntlm_login_syncs_and_a_wrong_password_is_refused_before_anything_is_stored()
    {
        var (host, server, mailbox) = await StartAsync(Mailbox(5, out _), EwsAuthentication.Ntlm);
        await using var _h = host;
        await using var _s = server;
        Assert.Equal(5, (await host.Runner.RunAsync(mailbox, null, Ct)).MessagesFetched);
        Assert.True(server.NtlmLogins >= 1);

        var refused = await host.Services.GetRequiredService<MailboxOnboarding>().AddAsync(new OnboardingRequest
        {
            OrganizationId = mailbox.OrganizationId,
            Protocol = MailboxProtocol.Ews,
            Name = "wrong",
            UserName = User,
            Url = server.Url.ToString(),
            TrustedCaFile = FakeEwsServer.TestCa,
        }, OnboardingSecret.FromPassword("not-the-password"), Ct);
        Assert.Null(refused.Mailbox);
        Assert.Equal(OnboardingFailure.LoginFailed, refused.Failure);
        Assert.Equal(Core.Connectors.ConnectorErrorKind.AuthenticationFailed, refused.LoginError);
        Assert.Single(await host.Accounts.ListMailboxesAsync(Ct));
    }

    private static async Task<string?> TextAsync(SqliteConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return (string?)await command.ExecuteScalarAsync(Ct);
    }

    private static async Task<List<string>> TextsAsync(SqliteConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        var texts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
            texts.Add(reader.GetString(0));
        return texts;
    }
}
