using Mailroom.Core.Accounts;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Mailroom.Core.Connectors;
using Mailroom.Core.Contacts;
using Mailroom.Core.Events;
using Mailroom.Core.Sending;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Storage.Model;
using Mailroom.Storage.Sql;
using Mailroom.Storage.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Storage.Tests;

/// <summary>The event log's promises: every change writes its events in its own transaction, and ids follow commit order.</summary>
public abstract class EventStoreContract<TDatabase>(TDatabase database)
    where TDatabase : TestDatabase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IEventStore Events => database.Services.GetRequiredService<IEventStore>();

    private IMessageStore Store => database.Messages;

    private async Task<List<MailroomEvent>> AllAsync(long organizationId, long after = 0)
    {
        var result = new List<MailroomEvent>();
        while (true)
        {
            var page = await Events.ReadAsync(organizationId, after, 100, Ct);
            if (page.Count == 0)
                return result;
            result.AddRange(page);
            after = page[^1].Id;
        }
    }

    private static JsonElement Data(MailroomEvent e) => JsonDocument.Parse(e.Data).RootElement;

    [Fact]
    public async Task A_saved_batch_writes_created_thread_and_link_events_once()
    {
        var mailbox = await database.NewMailboxAsync();
        var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox);
        var contacts = database.Services.GetRequiredService<IContactStore>();
        await contacts.UpsertAsync(mailbox.OrganizationId, new ContactInput("ann-1", "Ann", ["ann@example.org"]), Ct);
        var before = await AllAsync(mailbox.OrganizationId);
        var batch = new List<IngestedMessage>
        {
            AddressedMessages.Create(1, "e1@example.com", "ann@example.org", "me@example.com"),
            AddressedMessages.Create(2, "e2@example.com", "bob@example.org", "me@example.com"),
            TestMessages.Create(3, "e3@example.com", flags: MessageFlags.Seen),
        };

        await Store.SaveMessagesAsync(inbox.Id, batch, Ct);
        await Store.SaveMessagesAsync(inbox.Id, batch, Ct);

        var events = (await AllAsync(mailbox.OrganizationId, before.Count == 0 ? 0 : before[^1].Id));
        Assert.Equal(
            [EventTypes.MessageCreated, EventTypes.MessageCreated, EventTypes.MessageCreated,
             EventTypes.ThreadUpdated, EventTypes.ThreadUpdated, EventTypes.ThreadUpdated, EventTypes.ContactLinked],
            events.Select(e => e.Type));
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Id < p.Second.Id));
        Assert.All(events, e => Assert.Equal(mailbox.Id, e.MailboxId));
        var created = events.Where(e => e.Type == EventTypes.MessageCreated).ToList();
        Assert.Equal(["e1@example.com", "e2@example.com", "e3@example.com"], created.Select(e => Data(e).GetProperty("messageIdHeader").GetString()));
        Assert.Equal(["seen"], Data(created[2]).GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.All(created, e => Assert.Equal(inbox.Id, Data(e).GetProperty("folderId").GetInt64()));
        var link = events.Single(e => e.Type == EventTypes.ContactLinked);
        Assert.Equal(created[0].MessageId, link.MessageId);
        Assert.Equal("ann-1", Data(link).GetProperty("externalId").GetString());
        Assert.Equal(["from"], Data(link).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Flag_changes_folder_moves_and_expunges_are_updates_and_deletes()
    {
        var mailbox = await database.NewMailboxAsync();
        var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox);
        var archive = await database.NewFolderAsync(mailbox.Id, "Archive", FolderRole.Archive);
        var a = TestMessages.Create(1, "fa@example.com");
        var b = TestMessages.Create(2, "fb@example.com");
        await Store.SaveMessagesAsync(inbox.Id, [a, b], Ct);
        var mark = (await AllAsync(mailbox.OrganizationId))[^1].Id;

        // Only the row whose flags differ is an event; the same state again is none.
        await Store.UpdateFlagsAsync(inbox.Id, [new RemoteMessageState(1, MessageFlags.Seen | MessageFlags.Flagged, ["Work"]), new RemoteMessageState(2, MessageFlags.None, [])], Ct);
        await Store.UpdateFlagsAsync(inbox.Id, [new RemoteMessageState(1, MessageFlags.Seen | MessageFlags.Flagged, ["Work"])], Ct);
        // a is copied to Archive, then expunged from INBOX (a move); b is expunged from its only folder.
        await Store.SaveMessagesAsync(archive.Id, [a.InFolder(7)], Ct);
        await Store.RemoveMembershipsAsync(inbox.Id, [1, 2], Ct);

        var events = await AllAsync(mailbox.OrganizationId, mark);
        Assert.Equal(
            [(EventTypes.MessageUpdated, "flags"), (EventTypes.MessageUpdated, "folders"), (EventTypes.MessageUpdated, "folders"), (EventTypes.MessageDeleted, null)],
            events.Select(e => (e.Type, Data(e).TryGetProperty("change", out var c) ? c.GetString() : null)));
        var flags = Data(events[0]);
        Assert.Equal(["seen", "flagged"], flags.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(["Work"], flags.GetProperty("keywords").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(archive.Id, Data(events[1]).GetProperty("addedFolderId").GetInt64());
        Assert.Equal(inbox.Id, Data(events[2]).GetProperty("removedFolderId").GetInt64());
        Assert.Equal(events[1].MessageId, events[2].MessageId);
        Assert.NotEqual(events[2].MessageId, events[3].MessageId);
    }

    [Fact]
    public async Task Gmail_labels_uidvalidity_resets_and_removed_folders_write_their_events()
    {
        var mailbox = await database.NewMailboxAsync();
        var labels = (IGmailLabelStore)Store;
        var allMail = await database.NewFolderAsync(mailbox.Id, "[Gmail]/All Mail", FolderRole.All);
        var work = await labels.UpsertLabelFolderAsync(mailbox.Id, "Work", FolderRole.None, "Work", Ct);
        await Store.SaveMessagesAsync(allMail.Id, [TestMessages.Create(5, "g5@example.com"), TestMessages.Create(6, "g6@example.com")], Ct);
        var mark = (await AllAsync(mailbox.OrganizationId))[^1].Id;

        await labels.ApplyLabelChangesAsync(allMail.Id, [new GmailLabelMembership(work.Id, 5), new GmailLabelMembership(work.Id, 6)], [], Ct);
        await labels.ApplyLabelChangesAsync(allMail.Id, [], [new GmailLabelMembership(work.Id, 6)], Ct);
        // A new UIDVALIDITY empties the folder: its messages left it (All Mail held them only, so they are deleted).
        await Store.ResetFolderAsync(allMail.Id, 99, Ct);
        await Store.RemoveFolderAsync(work.Id, Ct);

        var events = await AllAsync(mailbox.OrganizationId, mark);
        Assert.Equal(
            [(EventTypes.MessageUpdated, "added"), (EventTypes.MessageUpdated, "added"), (EventTypes.MessageUpdated, "removed"),
             (EventTypes.MessageUpdated, "removed"), (EventTypes.MessageDeleted, "removed"), (EventTypes.MessageDeleted, "removed")],
            events.Select(e => (e.Type, Data(e).TryGetProperty("addedFolderId", out _) ? "added" : "removed")));
        Assert.Equal([work.Id, work.Id, work.Id, allMail.Id, allMail.Id, work.Id],
            events.Select(e => Data(e).TryGetProperty("addedFolderId", out var a) ? a.GetInt64() : Data(e).GetProperty("removedFolderId").GetInt64()));
    }

    [Fact]
    public async Task Mailbox_state_is_an_event_only_when_it_changes()
    {
        var mailbox = await database.NewMailboxAsync();
        var accounts = database.Accounts;
        var at = database.Time.GetUtcNow();
        await accounts.SetMailboxStateAsync(mailbox.Id, MailboxState.Ok, null, at, Ct);
        await accounts.SetMailboxStateAsync(mailbox.Id, MailboxState.Ok, null, at, Ct);
        await accounts.SetMailboxStateAsync(mailbox.Id, MailboxState.AuthFailed, "login refused", at, Ct);
        await accounts.RemoveMailboxAsync(mailbox.Id, Ct);

        var events = await AllAsync(mailbox.OrganizationId);
        Assert.All(events, e => Assert.Equal(EventTypes.MailboxStateChanged, e.Type));
        Assert.Equal(
            [("new", "ok", null), ("ok", "auth_failed", "login refused"), ("auth_failed", "removed", null)],
            events.Select(e => (Data(e).GetProperty("previousState").GetString(), Data(e).GetProperty("state").GetString(), Data(e).GetProperty("error").GetString())));
    }

    [Fact]
    public async Task Send_results_are_events_of_the_claim_that_applied()
    {
        var mailbox = await database.NewMailboxAsync();
        var outbox = database.Services.GetRequiredService<IOutboxStore>();
        var now = database.Time.GetUtcNow();
        var (ok, _) = await outbox.EnqueueAsync(mailbox.Id, "ok", new ComposedMessage("ok@example.com", Encoding.ASCII.GetBytes("x"), "f@example.com", ["t@example.com"], "s", false), Ct);
        var (bad, _) = await outbox.EnqueueAsync(mailbox.Id, "bad", new ComposedMessage("bad@example.com", Encoding.ASCII.GetBytes("y"), "f@example.com", ["t@example.com"], "s", false), Ct);
        var claims = await outbox.ClaimAsync(now, TimeSpan.FromMinutes(1), 10, mailbox.Id, Ct);
        foreach (var c in claims)
            await outbox.MarkSendingAsync([c], Ct);
        Assert.Equal(1, await outbox.RecordAsync([SendResult.Sent(claims.Single(c => c.Item.Id == ok.Id), "250 queued", now)], Ct));
        Assert.Equal(1, await outbox.RecordAsync([SendResult.Failed(claims.Single(c => c.Item.Id == bad.Id), 554, "554 refused", now)], Ct));
        // A stale claim changes nothing and writes nothing.
        Assert.Equal(0, await outbox.RecordAsync([SendResult.Sent(claims.Single(c => c.Item.Id == ok.Id), "250 again", now)], Ct));

        var events = (await AllAsync(mailbox.OrganizationId)).Where(e => e.Type.StartsWith("send.", StringComparison.Ordinal)).ToList();
        Assert.Equal([(EventTypes.SendSucceeded, ok.Id, "250 queued"), (EventTypes.SendFailed, bad.Id, "554 refused")],
            events.Select(e => (e.Type, e.OutboxId!.Value, Data(e).GetProperty("reply").GetString())));
        Assert.Equal(554, Data(events[1]).GetProperty("code").GetInt32());
        Assert.Equal([1, 1], events.Select(e => Data(e).GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public async Task Contact_backfill_and_address_removal_are_link_events()
    {
        var mailbox = await database.NewMailboxAsync();
        var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX");
        await Store.SaveMessagesAsync(inbox.Id,
            [AddressedMessages.Create(1, "b1@example.com", "cara@example.org", "me@example.com"),
             AddressedMessages.Create(2, "b2@example.com", "me@example.com", "cara@example.org", cc: "cara@example.org")], Ct);
        var mark = (await AllAsync(mailbox.OrganizationId))[^1].Id;
        var contacts = database.Services.GetRequiredService<IContactStore>();

        await contacts.UpsertAsync(mailbox.OrganizationId, new ContactInput("cara", "Cara", ["cara@example.org"]), Ct);
        await contacts.UpsertAsync(mailbox.OrganizationId, new ContactInput("cara", "Cara", ["cara@example.org"]), Ct);
        await contacts.UpsertAsync(mailbox.OrganizationId, new ContactInput("cara", "Cara", ["other@example.org"]), Ct);

        var events = await AllAsync(mailbox.OrganizationId, mark);
        Assert.Equal([EventTypes.ContactLinked, EventTypes.ContactLinked, EventTypes.ContactUnlinked, EventTypes.ContactUnlinked], events.Select(e => e.Type));
        Assert.Equal(["to", "cc"], Data(events[1]).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.All(events, e => Assert.Equal("cara", Data(e).GetProperty("externalId").GetString()));
    }

    [Fact]
    public async Task An_organization_reads_only_its_own_events()
    {
        var mine = await database.NewMailboxAsync();
        var theirs = await database.NewMailboxAsync();
        await Store.SaveMessagesAsync((await database.NewFolderAsync(mine.Id, "INBOX")).Id, [TestMessages.Create(1, "mine@example.com")], Ct);
        await Store.SaveMessagesAsync((await database.NewFolderAsync(theirs.Id, "INBOX")).Id, [TestMessages.Create(1, "theirs@example.com")], Ct);

        Assert.All(await AllAsync(mine.OrganizationId), e => Assert.Equal((mine.OrganizationId, mine.Id), (e.OrganizationId, e.MailboxId!.Value)));
        Assert.Contains(await AllAsync(theirs.OrganizationId), e => e.Type == EventTypes.MessageCreated);
        Assert.True(await Events.LatestIdAsync(Ct) >= (await AllAsync(theirs.OrganizationId))[^1].Id);
    }

    /// <summary>
    /// The ordering rule itself: while a transaction that wrote events is open, another cannot write events, so it
    /// cannot commit a higher id that a reader would see first.
    /// </summary>
    [Fact]
    public async Task A_second_writer_of_events_waits_until_the_first_commits()
    {
        var mailbox = await database.NewMailboxAsync();
        var contexts = database.Services.GetRequiredService<MailroomContextFactory>();
        var now = database.Time.GetUtcNow();

        await using var first = await StoreTransaction.BeginAsync(contexts, now, new EventSignal(), Ct);
        first.Events.Add(mailbox.OrganizationId, EventTypes.MessageCreated, "{}");
        await first.Events.FlushAsync(first.Sql, Ct);

        var second = Task.Run(async () =>
        {
            await using var transaction = await StoreTransaction.BeginAsync(contexts, now, new EventSignal(), Ct);
            transaction.Events.Add(mailbox.OrganizationId, EventTypes.MessageUpdated, "{}");
            await transaction.CommitAsync(Ct);
        }, Ct);

        await Task.Delay(TimeSpan.FromMilliseconds(700), Ct);
        Assert.False(second.IsCompleted);
        Assert.Empty(await AllAsync(mailbox.OrganizationId));
        await first.CommitAsync(Ct);
        await second.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal([EventTypes.MessageCreated, EventTypes.MessageUpdated], (await AllAsync(mailbox.OrganizationId)).Select(e => e.Type));
    }

    /// <summary>Concurrent writers and a reader that follows the log by its last id: it sees every event once, in order.</summary>
    [Fact]
    public async Task A_reader_following_concurrent_writers_sees_every_event_once_in_order()
    {
        var mailbox = await database.NewMailboxAsync();
        var folders = new List<StoredFolder>();
        for (var w = 0; w < 6; w++)
            folders.Add(await database.NewFolderAsync(mailbox.Id, "F" + w));
        var seen = new ConcurrentQueue<long>();
        using var done = new CancellationTokenSource();

        var reader = Task.Run(async () =>
        {
            long after = 0;
            while (true)
            {
                var finished = done.IsCancellationRequested;
                var page = await Events.ReadAsync(mailbox.OrganizationId, after, 50, Ct);
                foreach (var e in page)
                    seen.Enqueue(e.Id);
                if (page.Count > 0)
                    after = page[^1].Id;
                else if (finished)
                    return;
            }
        }, Ct);

        var writers = folders.Select((folder, w) => Task.Run(async () =>
        {
            for (var round = 0; round < 15; round++)
            {
                var batch = Enumerable.Range(0, 4)
                    .Select(i => TestMessages.Create((uint)(round * 10 + i + 1), $"w{w}-r{round}-{i}@example.com", $"body {w} {round} {i}"))
                    .ToList();
                await Store.SaveMessagesAsync(folder.Id, batch, Ct);
            }
        }, Ct)).ToList();
        await Task.WhenAll(writers);
        await done.CancelAsync();
        await reader;

        var all = (await AllAsync(mailbox.OrganizationId)).Select(e => e.Id).ToList();
        Assert.Equal(6 * 15 * 4, (await AllAsync(mailbox.OrganizationId)).Count(e => e.Type == EventTypes.MessageCreated));
        Assert.Equal(all, seen.ToList());
    }
}
