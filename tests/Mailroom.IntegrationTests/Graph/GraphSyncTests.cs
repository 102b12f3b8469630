using System.Globalization;
using System.Text;
using Mailroom.Connectors.Auth;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Sending;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.IntegrationTests.Auth;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.Server.Accounts;
using Mailroom.TestSupport.Graph;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static Mailroom.IntegrationTests.Infrastructure.SqliteProbe;

namespace Mailroom.IntegrationTests.Graph;

/// <summary>
/// The Microsoft Graph connector end to end: tokens from the OpenID test provider (device flow), the fake Graph (held
/// to the v1.0 CSDL) checking them at the provider, the real onboarding, sync runner and SQLite store.
/// </summary>
[Collection(OidcUserCollection.Name)]
public sealed class GraphSyncTests : IDisposable
{
    private const string Address = "mr12@mailroom.test";
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-graph-");
    private OAuthTokens? _tokens;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => TestArtifacts.DeleteFolder(_data);

    internal static byte[] Raw(int n, string? inReplyTo = null) => Encoding.ASCII.GetBytes(
        $"From: Sender {n} <sender{n % 7}@example.com>\r\nTo: {Address}\r\nSubject: Message {n}\r\n" +
        $"Date: {new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(n):R}\r\nMessage-ID: <g{n}@example.com>\r\n" +
        (inReplyTo is null ? "" : $"In-Reply-To: {inReplyTo}\r\n") +
        $"Content-Type: text/plain; charset=us-ascii\r\n\r\nBody of message {n}.\r\n");

    internal static FakeGraphMailbox Mailbox(int messages, out List<string> ids)
    {
        var mailbox = new FakeGraphMailbox();
        // Localized display names: the roles must come from the well-known names.
        mailbox.Folder("inbox").DisplayName = "Posteingang";
        mailbox.Folder("sentitems").DisplayName = "Gesendete Elemente";
        var projects = mailbox.AddFolder("Projekte");
        var sales = mailbox.AddFolder("Vertrieb", projects.Id);
        ids = [];
        for (var n = 1; n <= messages; n++)
            ids.Add(mailbox.Add(n % 10 == 0 ? sales.Id : "inbox", Raw(n), "conv-" + (n / 2).ToString(CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeSeconds(1_767_225_600 + n * 60), isRead: n % 3 != 0));
        mailbox.Add("junkemail", Raw(9001), "junk", DateTimeOffset.UnixEpoch);
        mailbox.Add("deleteditems", Raw(9002), "trash", DateTimeOffset.UnixEpoch);
        return mailbox;
    }

    internal async Task<(MailroomTestHost Host, FakeGraphApi Api, MailboxRecord Mailbox)> StartAsync(FakeGraphMailbox mailbox, Database database = Database.Sqlite)
    {
        GraphTestSupport.RequireCsdl();
        OidcProvider.Require();
        if (database == Database.Postgres)
            LiveServers.RequirePostgres();
        var api = await FakeGraphApi.StartAsync(mailbox, Address, new Uri(OidcProvider.Issuer), Ct);
        var settings = OidcProvider.Settings(TimeSpan.FromSeconds(5));
        settings["Graph:BaseUrl"] = api.BaseUrl.ToString();
        settings["Graph:RetryInitial"] = "00:00:00.050";
        settings["Graph:DeltaPageSize"] = "50";
        var host = await MailroomTestHost.StartAsync(database, settings, _data);
        var tokens = _tokens = await OidcProvider.DeviceFlowAsync(host, Ct);
        var result = await host.Services.GetRequiredService<MailboxOnboarding>().AddAsync(new OnboardingRequest
        {
            OrganizationId = await host.Accounts.EnsureOrganizationAsync("default", Ct),
            Protocol = MailboxProtocol.Graph,
            Address = Address,
        }, OnboardingSecret.FromOAuth(OidcProvider.Name, tokens), Ct);
        Assert.True(result.Mailbox is not null, result.Error);
        return (host, api, result.Mailbox);
    }

    [Fact]
    public async Task First_sync_stores_every_folder_with_roles_then_unchanged_costs_one_request_per_folder_and_changes_follow()
    {
        var (host, api, mailbox) = await StartAsync(Mailbox(120, out var ids));
        await using var _h = host;
        await using var _a = api;
        Assert.Equal(MailboxProtocol.Graph, mailbox.Protocol);

        var first = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Empty(first.FolderErrors);
        Assert.Equal(120, first.MessagesFetched);
        Assert.Equal(120, api.MimeServed);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(host.DataPath, "mailroom.db")}");
        await db.OpenAsync(Ct);
        Assert.Equal(120L, await ScalarAsync(db, "SELECT COUNT(*) FROM messages"));
        Assert.Equal(108L, await CountInAsync(db, "Posteingang"));
        Assert.Equal(12L, await CountInAsync(db, "Projekte/Vertrieb"));
        Assert.Equal("Inbox", await TextAsync(db, "SELECT role FROM folders WHERE path = 'Posteingang'"));
        Assert.Equal("Sent", await TextAsync(db, "SELECT role FROM folders WHERE path = 'Gesendete Elemente'"));
        Assert.Equal(0L, await ScalarAsync(db, "SELECT COUNT(*) FROM folders WHERE path IN ('Deleted Items', 'Junk Email')"));
        // Identity is the immutable id, the thread is the conversation id, unread is the absence of \Seen.
        Assert.Equal(1L, await ScalarAsync(db, $"SELECT COUNT(*) FROM messages WHERE identity_key = 'p:ms:{ids[6]}' AND provider_thread_id = 'conv-3'"));
        Assert.Equal(40L, await ScalarAsync(db, "SELECT COUNT(*) FROM folder_memberships WHERE (flags & 1) = 0"));
        var syncedFolders = await ScalarAsync(db, "SELECT COUNT(*) FROM folders WHERE sync_token IS NOT NULL");
        Assert.Equal(6L, syncedFolders); // inbox, sent, drafts, archive, Projekte, Vertrieb

        var before = api.Requests;
        var unchanged = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.All(unchanged.Plans.Values, k => Assert.Equal(SyncPlanKind.NothingToDo, k));
        // One delta request per folder, plus the folder tree (one page) and the six well-known names in one $batch (a
        // new session: serve's worker keeps its session and asks them once).
        Assert.Equal(syncedFolders + 1 + 1, api.Requests - before);

        var m = api.Mailbox;
        m.Update(ids[0], isRead: false, flagged: true, categories: ["Bewerber", "Red category"]);
        m.Move(ids[1], "archive");
        m.Delete(ids[3]);
        m.Add("inbox", Raw(121, "<g120@example.com>"), "conv-60", DateTimeOffset.UtcNow);
        var served = api.MimeServed;
        var changes = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Empty(changes.FolderErrors);
        Assert.Equal(1, changes.MessagesFetched); // only the new one: the moved message is attached, not downloaded
        Assert.Equal(served + 1, api.MimeServed);
        Assert.Equal(1, changes.MessagesRecognized);
        Assert.Equal(107L, await CountInAsync(db, "Posteingang")); // 108 - moved - deleted + new
        Assert.Equal(1L, await CountInAsync(db, "Archive"));
        Assert.Equal(0L, await ScalarAsync(db, $"SELECT COUNT(*) FROM folder_memberships fm JOIN messages m ON m.id = fm.message_id WHERE m.identity_key = 'p:ms:{ids[3]}'"));
        Assert.Equal(1L, await ScalarAsync(db, $"SELECT COUNT(*) FROM folder_memberships fm JOIN messages m ON m.id = fm.message_id WHERE m.identity_key = 'p:ms:{ids[0]}' AND fm.flags = 4 AND fm.keywords = 'Bewerber Red%20category'"));
        Assert.Equal(121L, await ScalarAsync(db, "SELECT COUNT(*) FROM messages"));
    }

    [Fact]
    public async Task On_postgres_first_sync_a_move_by_attach_and_a_reconcile_after_expiry_download_nothing_twice()
    {
        var (host, api, mailbox) = await StartAsync(Mailbox(80, out var ids), Database.Postgres);
        await using var _h = host;
        await using var _a = api;
        Assert.Equal(80, (await host.Runner.RunAsync(mailbox, null, Ct)).MessagesFetched);
        Assert.All((await host.Runner.RunAsync(mailbox, null, Ct)).Plans.Values, k => Assert.Equal(SyncPlanKind.NothingToDo, k));
        api.Mailbox.Move(ids[0], "archive");
        api.Mailbox.Update(ids[1], flagged: true, categories: ["Blue category"]);
        api.Mailbox.Delete(ids[2]);
        var moved = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal((0L, 1L, 2L), (moved.MessagesFetched, moved.MessagesRecognized, moved.MembershipsRemoved));
        api.Mailbox.Add("inbox", Raw(81), "c81", DateTimeOffset.UtcNow);
        api.Mailbox.ExpireTokens();
        var reconciled = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal(SyncPlanKind.FullReconcile, reconciled.Plans["Posteingang"]);
        Assert.Equal(1, reconciled.MessagesFetched);
        Assert.Equal(81, api.MimeServed);
    }

    [Fact]
    public async Task An_expired_delta_token_reconciles_without_downloading_known_messages_again()
    {
        var (host, api, mailbox) = await StartAsync(Mailbox(60, out var ids));
        await using var _h = host;
        await using var _a = api;
        await host.Runner.RunAsync(mailbox, null, Ct);
        var m = api.Mailbox;
        m.Delete(ids[0]);
        m.Move(ids[1], "archive");
        m.Update(ids[2], isRead: false);
        m.Add("inbox", Raw(61), "conv-61", DateTimeOffset.UtcNow);
        m.ExpireTokens();
        var served = api.MimeServed;

        var summary = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Empty(summary.FolderErrors);
        Assert.Equal(SyncPlanKind.FullReconcile, summary.Plans["Posteingang"]);
        Assert.Equal(1, summary.MessagesFetched);
        Assert.Equal(served + 1, api.MimeServed);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(host.DataPath, "mailroom.db")}");
        await db.OpenAsync(Ct);
        Assert.Equal(53L, await CountInAsync(db, "Posteingang")); // 54 - deleted - moved + new
        Assert.Equal(1L, await CountInAsync(db, "Archive"));
        Assert.Equal(0L, await ScalarAsync(db, $"SELECT COUNT(*) FROM folder_memberships fm JOIN messages m ON m.id = fm.message_id WHERE m.identity_key = 'p:ms:{ids[0]}'"));
        Assert.Equal(1L, await ScalarAsync(db, $"SELECT COUNT(*) FROM folder_memberships fm JOIN messages m ON m.id = fm.message_id WHERE m.identity_key = 'p:ms:{ids[2]}' AND (fm.flags & 1) = 0"));

        var again = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.All(again.Plans.Values, k => Assert.Equal(SyncPlanKind.NothingToDo, k));
    }

    [Fact]
    public async Task A_folder_renamed_at_graph_keeps_its_messages_one_deleted_loses_them_and_a_429_storm_loses_nothing()
    {
        var (host, api, mailbox) = await StartAsync(Mailbox(30, out _));
        await using var _h = host;
        await using var _a = api;
        api.FailNext(5, 429, retryAfterSeconds: 0);
        var first = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal(30, first.MessagesFetched);
        api.Mailbox.Folder(api.Mailbox.Folders().Single(f => f.DisplayName == "Projekte").Id).DisplayName = "Projects";
        var second = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal(0, second.MessagesFetched);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(host.DataPath, "mailroom.db")}");
        await db.OpenAsync(Ct);
        Assert.Equal("Archive, Drafts, Gesendete Elemente, Posteingang, Projects, Projects/Vertrieb",
            string.Join(", ", await TextsAsync(db, "SELECT path FROM folders ORDER BY path")));
        Assert.Equal(3L, await CountInAsync(db, "Projects/Vertrieb"));
        Assert.Equal(0L, await ScalarAsync(db, "SELECT COUNT(*) FROM folders WHERE path LIKE 'Projekte%'"));
        Assert.Equal(30L, await ScalarAsync(db, "SELECT COUNT(*) FROM messages"));

        // Deleted at Graph (moved under Deleted Items, child folder and all): the folders go, with their memberships;
        // their messages were in no other folder, so each is a message.deleted.
        var projects = api.Mailbox.Folders().Single(f => f.DisplayName == "Projects");
        api.Mailbox.DeleteFolder(projects.Id);
        await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal("Archive, Drafts, Gesendete Elemente, Posteingang",
            string.Join(", ", await TextsAsync(db, "SELECT path FROM folders ORDER BY path")));
        Assert.Equal(27L, await ScalarAsync(db, "SELECT COUNT(*) FROM folder_memberships"));
        Assert.Equal(3L, await ScalarAsync(db, "SELECT COUNT(*) FROM events WHERE type = 'message.deleted'"));

        // Restored from Deleted Items: the folders return and their messages are attached again, none downloaded.
        var served = api.MimeServed;
        api.Mailbox.Folder(projects.Id).ParentId = api.Mailbox.Root.Id;
        var restored = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal((0L, 3L), (restored.MessagesFetched, restored.MessagesRecognized));
        Assert.Equal(served, api.MimeServed);
        Assert.Equal(3L, await CountInAsync(db, "Projects/Vertrieb"));
    }

    [Fact]
    public async Task The_outbox_sends_through_sendMail_and_a_draft_with_upload_sessions_over_4_MB_and_each_sent_copy_comes_back_once()
    {
        var (host, api, mailbox) = await StartAsync(Mailbox(5, out _));
        await using var _h = host;
        await using var _a = api;
        await host.Runner.RunAsync(mailbox, null, Ct);
        var outbox = host.Services.GetRequiredService<IOutboxStore>();
        var composer = host.Services.GetRequiredService<MessageComposer>();
        var sender = host.Services.GetRequiredService<OutboxSender>();
        OutgoingMessage Draft(string subject) => new() { From = new(Address), To = [new("someone@example.com")], Subject = subject, Text = "Hello." };
        var (first, _) = await outbox.EnqueueAsync(mailbox.Id, "one", composer.Compose(Draft("Interview")), Ct);
        var (second, _) = await outbox.EnqueueAsync(mailbox.Id, "two", composer.Compose(Draft("Offer")), Ct);
        // Over sendMail's 4 MB: a draft, one attachment by upload session (3.5 MB, chunked), one by POST (1.5 MB, the
        // draft's MIME would be too large with it), one left in the draft's MIME (1.5 MB).
        byte[] Bytes(int n)
        {
            var b = new byte[n];
            Random.Shared.NextBytes(b);
            return b;
        }
        var (large, medium, small) = (Bytes(3_500_000), Bytes(1_500_000), Bytes(1_400_000));
        var (big, _) = await outbox.EnqueueAsync(mailbox.Id, "big", composer.Compose(Draft("Large") with
        {
            Attachments = [new OutgoingAttachment("cv.bin", "application/octet-stream", large), new OutgoingAttachment("letter.pdf", "application/pdf", medium),
                new OutgoingAttachment("photo.jpg", "image/jpeg", small)],
        }), Ct);
        api.FailNext(2, 429, retryAfterSeconds: 0); // throttled before any work: retried in the session, sent once
        var pass = await sender.RunOnceAsync(mailbox.Id, Ct);
        Assert.Equal((3, 0, 0), (pass.Sent, pass.Retrying, pass.Failed));
        Assert.Equal(2, api.Mailbox.Sent.Count);
        foreach (var id in new[] { first.Id, second.Id, big.Id })
            Assert.Equal((OutboxState.Sent, SentCopyState.ProviderFiles), ((await outbox.GetAsync(id, Ct))!.State, (await outbox.GetAsync(id, Ct))!.SentCopy));
        var draft = Assert.Single(api.Drafts.SentDrafts);
        Assert.Equal(["cv.bin", "letter.pdf"], draft.Attachments.Select(a => a.Name).Order(StringComparer.Ordinal));
        Assert.Equal(large, draft.Attachments.Single(a => a.Name == "cv.bin").Content);
        Assert.Equal(medium, draft.Attachments.Single(a => a.Name == "letter.pdf").Content);
        Assert.Contains("photo.jpg", Encoding.ASCII.GetString(draft.Mime), StringComparison.Ordinal);
        Assert.Equal(2, api.Drafts.Chunks); // 3.5 MB in chunks of 3,276,800 bytes
        Assert.InRange(api.Drafts.LargestRequest, 3_000_000, 4 * 1024 * 1024);

        // Exchange filed every copy under Sent Items; the draft's id moved there from Drafts: one message each, none twice.
        var back = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal(3, back.MessagesFetched);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(host.DataPath, "mailroom.db")}");
        await db.OpenAsync(Ct);
        Assert.Equal(3L, await CountInAsync(db, "Gesendete Elemente"));
        Assert.Equal(0L, await CountInAsync(db, "Drafts"));
        Assert.Equal(8L, await ScalarAsync(db, "SELECT COUNT(*) FROM messages"));
    }

    [Fact]
    public async Task A_revoked_grant_stops_the_mailbox_as_needs_reauth_after_one_refresh()
    {
        var (host, api, mailbox) = await StartAsync(Mailbox(3, out _));
        await using var _h = host;
        await using var _a = api;
        await host.Runner.RunAsync(mailbox, null, Ct);
        await OidcProvider.RevokeAsync(_tokens!.RefreshToken!, Ct);
        api.ForgetTokens();
        var refused = await Assert.ThrowsAsync<ConnectorException>(() => host.Runner.RunAsync(mailbox, null, Ct));
        Assert.Equal(ConnectorErrorKind.ReauthorizationRequired, refused.Kind);
        Assert.Equal(MailboxState.NeedsReauth, (await host.Accounts.FindMailboxAsync(mailbox.Name, Ct))!.State);
    }

    private static async Task<List<string>> TextsAsync(SqliteConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var list = new List<string>();
        while (await reader.ReadAsync(Ct))
            list.Add(reader.GetString(0));
        return list;
    }

    private static async Task<string?> TextAsync(SqliteConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return (string?)await command.ExecuteScalarAsync(Ct);
    }
}
