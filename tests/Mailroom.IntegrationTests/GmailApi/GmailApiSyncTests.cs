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
using Mailroom.TestSupport.Gmail;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static Mailroom.IntegrationTests.Infrastructure.SqliteProbe;

namespace Mailroom.IntegrationTests.GmailApi;

/// <summary>
/// The Gmail API connector end to end: tokens from the OpenID test provider (device flow), the fake Gmail API
/// checking them at the provider, the real onboarding, sync runner and SQLite store.
/// </summary>
[Collection(OidcUserCollection.Name)]
public sealed class GmailApiSyncTests : IDisposable
{
    private const string AllMail = "[Gmail]/All Mail";
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-gmailapi-");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => TestArtifacts.DeleteFolder(_data);

    internal static byte[] Raw(int n, string? inReplyTo = null) => Encoding.ASCII.GetBytes(
        $"From: Sender {n} <sender{n % 7}@example.com>\r\nTo: mr12@mailroom.test\r\nSubject: Message {n}\r\n" +
        $"Date: {new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(n):R}\r\nMessage-ID: <m{n}@example.com>\r\n" +
        (inReplyTo is null ? "" : $"In-Reply-To: {inReplyTo}\r\n") +
        $"Content-Type: text/plain; charset=us-ascii\r\n\r\nBody of message {n}.\r\n");

    internal static ulong GmailId(int n) => 0x16189c2a00000000UL + (ulong)n;

    private async Task<(MailroomTestHost Host, FakeGmailApi Api, MailboxRecord Mailbox, OAuthTokens Tokens)> StartAsync(int messages, Dictionary<string, string?>? extra = null)
    {
        OidcProvider.Require();
        var mailbox = new FakeGmailMailbox();
        var work = mailbox.AddLabel("Work");
        for (var n = 1; n <= messages; n++)
        {
            var labels = new List<string> { "INBOX" };
            if (n % 3 == 0)
                labels.Add("UNREAD");
            if (n % 5 == 0)
                labels.Add(work);
            mailbox.Add(GmailId(n), GmailId(n - (n % 2)), Raw(n), DateTimeOffset.FromUnixTimeSeconds(1_767_225_600 + n * 60), [.. labels]);
        }
        var api = await FakeGmailApi.StartAsync(mailbox, new Uri(OidcProvider.Issuer), Ct);
        var settings = OidcProvider.Settings(TimeSpan.FromSeconds(5));
        settings["Gmail:ApiBaseUrl"] = api.Address.ToString();
        settings["Gmail:RetryInitial"] = "00:00:00.050";
        settings["Gmail:QuotaUnitsPerSecond"] = "100000";
        foreach (var (k, v) in extra ?? [])
            settings[k] = v;
        var host = await MailroomTestHost.StartAsync(Database.Sqlite, settings, _data);
        var tokens = await OidcProvider.DeviceFlowAsync(host, Ct);
        var result = await host.Services.GetRequiredService<MailboxOnboarding>().AddAsync(new OnboardingRequest
        {
            OrganizationId = await host.Accounts.EnsureOrganizationAsync("default", Ct),
            Protocol = MailboxProtocol.GmailApi,
            Address = "mr12@mailroom.test",
        }, OnboardingSecret.FromOAuth(OidcProvider.Name, tokens), Ct);
        Assert.True(result.Mailbox is not null, result.Error);
        return (host, api, result.Mailbox, tokens);
    }

    [Fact]
    public async Task First_sync_stores_all_mail_with_labels_then_an_unchanged_mailbox_costs_one_request_and_changes_follow()
    {
        var (host, api, mailbox, _) = await StartAsync(120);
        await using var _h = host;
        await using var _a = api;
        Assert.Equal(MailboxProtocol.GmailApi, mailbox.Protocol);

        var first = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Empty(first.FolderErrors);
        Assert.Equal(120, first.MessagesFetched);
        Assert.Equal(SyncPlanKind.FullReconcile, first.Plans[AllMail]);
        // profile, labels, one list page, three batches of 50, one per label... nowhere near one request per message.
        Assert.True(host.Runner.LastCounters!.Requests <= 8, $"{host.Runner.LastCounters.Requests} requests");

        await using var db = new SqliteConnection($"Data Source={Path.Combine(host.DataPath, "mailroom.db")}");
        await db.OpenAsync(Ct);
        Assert.Equal(120L, await ScalarAsync(db, "SELECT COUNT(*) FROM messages"));
        Assert.Equal(120L, await CountInAsync(db, AllMail));
        Assert.Equal(120L, await CountInAsync(db, "INBOX"));
        Assert.Equal(24L, await CountInAsync(db, "Work"));
        // Identity and thread as Gmail over IMAP stores them: decimal X-GM-MSGID and X-GM-THRID.
        Assert.Equal(1L, await ScalarAsync(db, $"SELECT COUNT(*) FROM messages WHERE identity_key = 'p:gm:{GmailId(7).ToString(CultureInfo.InvariantCulture)}' AND provider_thread_id = '{GmailId(6).ToString(CultureInfo.InvariantCulture)}'"));
        // UNREAD is the absence of \Seen (1): every third message.
        Assert.Equal(40L, await ScalarAsync(db, $"SELECT COUNT(*) FROM folder_memberships fm JOIN folders f ON f.id = fm.folder_id WHERE f.path = '{AllMail}' AND (fm.flags & 1) = 0"));

        var before = api.Requests;
        var unchanged = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal(SyncPlanKind.NothingToDo, unchanged.Plans[AllMail]);
        Assert.Equal(1, host.Runner.LastCounters!.Requests);
        Assert.Equal(before + 1, api.Requests);

        // Label added and removed, a message deleted, one trashed, one new.
        var m = api.Mailbox;
        var workId = m.Labels().Single(l => l.Name == "Work").Id;
        m.Relabel(GmailId(1).ToString("x", CultureInfo.InvariantCulture), [workId, "STARRED"], ["UNREAD"]);
        m.Relabel(GmailId(2).ToString("x", CultureInfo.InvariantCulture), [], ["INBOX"]);
        m.Delete(GmailId(3).ToString("x", CultureInfo.InvariantCulture));
        m.Trash(GmailId(4).ToString("x", CultureInfo.InvariantCulture));
        m.Add(GmailId(121), GmailId(120), Raw(121, "<m120@example.com>"), DateTimeOffset.UtcNow, "INBOX", "UNREAD");

        var changes = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal(1, changes.MessagesFetched);
        Assert.Equal(SyncPlanKind.QResyncChanges, changes.Plans[AllMail]);
        Assert.Equal(119L, await CountInAsync(db, AllMail));
        Assert.Equal(118L, await CountInAsync(db, "INBOX")); // 120, less 2 (archived), 3 (deleted) and 4 (trashed), and 121
        Assert.Equal(25L, await CountInAsync(db, "Work"));
        Assert.Equal(1L, await CountInAsync(db, "[Gmail]/Starred"));
        Assert.Equal(0L, await ScalarAsync(db, $"SELECT COUNT(*) FROM folder_memberships fm JOIN messages m ON m.id = fm.message_id WHERE m.identity_key IN ('p:gm:{GmailId(3)}', 'p:gm:{GmailId(4)}')"));
        // The reply joined its parent's thread (provider thread id).
        Assert.Equal(1L, await ScalarAsync(db, $"SELECT COUNT(DISTINCT thread_id) FROM messages WHERE identity_key IN ('p:gm:{GmailId(121)}', 'p:gm:{GmailId(120)}')"));

        // Untrashed: back without a download. Then the history expires: a reconcile downloads nothing it has.
        m.Relabel(GmailId(4).ToString("x", CultureInfo.InvariantCulture), [], ["TRASH"]);
        m.ExpireHistory();
        m.Add(GmailId(122), GmailId(122), Raw(122), DateTimeOffset.UtcNow, "INBOX");
        var reconcile = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal(SyncPlanKind.FullReconcile, reconcile.Plans[AllMail]);
        Assert.Equal(1, reconcile.MessagesFetched);
        Assert.Equal(1, reconcile.MessagesRecognized);
        Assert.Equal(121L, await CountInAsync(db, AllMail));
        Assert.Equal(120L, await CountInAsync(db, "INBOX"));
        Assert.Equal(122L, await ScalarAsync(db, "SELECT COUNT(*) FROM messages"));

        var again = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal(SyncPlanKind.NothingToDo, again.Plans[AllMail]);
        Assert.Equal(0, again.MessagesFetched);
    }

    [Fact]
    public async Task A_throttling_storm_is_waited_out_and_nothing_is_lost_or_doubled()
    {
        var (host, api, mailbox, _) = await StartAsync(200);
        await using var _h = host;
        await using var _a = api;
        api.FailNext(3, 429);
        api.FailNext(3, 403, "userRateLimitExceeded");
        api.FailNext(2, 403, "rateLimitExceeded");
        var first = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal(200, first.MessagesFetched);

        for (var n = 201; n <= 260; n++)
            api.Mailbox.Add(GmailId(n), GmailId(n), Raw(n), DateTimeOffset.UtcNow, "INBOX");
        // A storm longer than the session's retries (8) fails the run as transient (the worker backs off and reconnects);
        // the next run stores everything, once.
        api.FailNext(12, 429);
        var storm = await Assert.ThrowsAsync<ConnectorException>(() => host.Runner.RunAsync(mailbox, null, Ct));
        Assert.Equal(ConnectorErrorKind.Transient, storm.Kind);
        api.FailNext(5, 429);
        var second = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal(60, second.MessagesFetched);

        await using var db = new SqliteConnection($"Data Source={Path.Combine(host.DataPath, "mailroom.db")}");
        await db.OpenAsync(Ct);
        Assert.Equal(260L, await ScalarAsync(db, "SELECT COUNT(*) FROM messages"));
        Assert.Equal(260L, await CountInAsync(db, AllMail));
        Assert.Equal(260L, await CountInAsync(db, "INBOX"));
    }

    [Fact]
    public async Task A_refused_token_is_refreshed_once_and_the_sync_goes_on()
    {
        var (host, api, mailbox, _) = await StartAsync(5);
        await using var _h = host;
        await using var _a = api;
        await host.Runner.RunAsync(mailbox, null, Ct);

        api.RejectTokensSeenSoFar();
        var refreshes = OidcProvider.Count(OidcProvider.Token, "refresh_token");
        api.Mailbox.Add(GmailId(6), GmailId(6), Raw(6), DateTimeOffset.UtcNow, "INBOX");
        var after = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal(1, after.MessagesFetched);
        Assert.Equal(refreshes + 1, OidcProvider.Count(OidcProvider.Token, "refresh_token"));
        Assert.Equal(MailboxState.Ok, (await host.Accounts.FindMailboxAsync(mailbox.Name, Ct))!.State);
    }

    [Fact]
    public async Task A_revoked_grant_makes_the_mailbox_need_reauthorization()
    {
        var (host, api, mailbox, tokens) = await StartAsync(5);
        await using var _h = host;
        await using var _a = api;
        await host.Runner.RunAsync(mailbox, null, Ct);

        await OidcProvider.RevokeAsync(tokens.RefreshToken!, Ct);
        api.ForgetTokens();
        var refused = await Assert.ThrowsAsync<ConnectorException>(() => host.Runner.RunAsync(mailbox, null, Ct));
        Assert.Equal(ConnectorErrorKind.ReauthorizationRequired, refused.Kind);
        Assert.Equal(MailboxState.NeedsReauth, (await host.Accounts.FindMailboxAsync(mailbox.Name, Ct))!.State);
    }

    [Fact]
    public async Task The_outbox_sends_through_the_api_with_the_thread_of_a_reply_large_messages_by_upload_and_no_sent_copy()
    {
        var (host, api, mailbox, _) = await StartAsync(10);
        await using var _h = host;
        await using var _a = api;
        await host.Runner.RunAsync(mailbox, null, Ct);
        var outbox = host.Services.GetRequiredService<IOutboxStore>();
        var composer = host.Services.GetRequiredService<MessageComposer>();
        var sender = host.Services.GetRequiredService<OutboxSender>();
        OutgoingMessage Draft(string subject) => new() { From = new("mr12@mailroom.test"), To = [new("someone@example.com")], Subject = subject, Text = "Hello." };

        var (plain, _) = await outbox.EnqueueAsync(mailbox.Id, "plain", composer.Compose(Draft("New")), Ct);
        var (reply, _) = await outbox.EnqueueAsync(mailbox.Id, "reply", composer.Compose(Draft("Message 5") with
        {
            ReplyTo = new OriginalMessage("m5@example.com", [], "Message 5", "sender5@example.com", "mr12@mailroom.test", null, "Body of message 5.", null),
        }), Ct);
        var large = new byte[6 * 1024 * 1024];
        Random.Shared.NextBytes(large);
        var (big, _) = await outbox.EnqueueAsync(mailbox.Id, "big", composer.Compose(Draft("Large") with
        {
            Attachments = [new OutgoingAttachment("data.bin", "application/octet-stream", large)],
        }), Ct);
        // Google says "later" twice: the session waits and sends each message once.
        api.FailNext(2, 429);
        var pass = await sender.RunOnceAsync(mailbox.Id, Ct);
        var items = await outbox.ListAsync(mailbox.Id, 10, Ct);
        Assert.True((3, 0, 0) == (pass.Sent, pass.Retrying, pass.Failed), string.Join("; ", items.Select(i => $"{i.Subject}: {i.State} {i.LastCode} {i.LastReply}")));

        var sent = api.Sent.ToArray();
        Assert.Equal(3, sent.Length);
        Assert.Equal([false, false, true], sent.Select(s => s.Upload));
        Assert.True(sent[2].Size > FakeGmailApi.JsonLimit);
        Assert.Equal(GmailId(4).ToString("x", CultureInfo.InvariantCulture), sent[1].ThreadId); // message 5's thread
        Assert.Equal(sent[0].Id, sent[0].ThreadId); // a new message opens a new thread
        foreach (var id in new[] { plain.Id, reply.Id, big.Id })
        {
            var item = (await outbox.GetAsync(id, Ct))!;
            Assert.Equal((OutboxState.Sent, SentCopyState.ProviderFiles), (item.State, item.SentCopy));
        }

        // Gmail filed them under SENT: the next sync brings each back once, in Sent.
        var back = await host.Runner.RunAsync(mailbox, null, Ct);
        Assert.Equal(3, back.MessagesFetched);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(host.DataPath, "mailroom.db")}");
        await db.OpenAsync(Ct);
        Assert.Equal(3L, await CountInAsync(db, "[Gmail]/Sent Mail"));
        Assert.Equal(13L, await ScalarAsync(db, "SELECT COUNT(*) FROM messages"));
        Assert.Equal(1L, await ScalarAsync(db, $"SELECT COUNT(DISTINCT thread_id) FROM messages WHERE subject LIKE '%Message 5'"));
    }

    [Fact]
    public void The_fakes_schema_check_refuses_what_google_would_not_send()
    {
        Assert.Empty(GmailSchemas.Check("Profile", "{\"emailAddress\":\"a@b.c\",\"historyId\":\"12\",\"messagesTotal\":3}"));
        Assert.Contains(GmailSchemas.Check("Profile", "{\"historyId\":12}"), e => e.Contains("historyId", StringComparison.Ordinal));
        Assert.Contains(GmailSchemas.Check("Message", "{\"id\":\"1\",\"labels\":[]}"), e => e.Contains("not a property", StringComparison.Ordinal));
        Assert.Contains(GmailSchemas.Check("ListHistoryResponse", "{\"history\":[{\"id\":\"x\"}]}"), e => e.Contains("uint64", StringComparison.Ordinal));
        Assert.NotEmpty(GmailSchemas.Check("Label", "{\"id\":\"L\",\"type\":\"custom\"}"));
    }
}
