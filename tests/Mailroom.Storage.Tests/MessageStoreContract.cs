using Mailroom.Core.Connectors;
using Mailroom.Core.Messages;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Storage.Queries;
using Mailroom.Storage.Tests.Infrastructure;

namespace Mailroom.Storage.Tests;

/// <summary><see cref="IMessageStore"/>'s promises, run against each provider by a subclass.</summary>
public abstract class MessageStoreContract<TDatabase>(TDatabase database)
    where TDatabase : TestDatabase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected TDatabase Database { get; } = database;

    private IMessageStore Store => Database.Messages;

    private StoreInspector Inspector => Database.Inspector;

    [Fact]
    public async Task Upsert_folder_creates_it_once_and_updates_its_role()
    {
        var mailbox = await Database.NewMailboxAsync();
        var created = await Database.NewFolderAsync(mailbox.Id, "Sent Items");
        var again = await Database.NewFolderAsync(mailbox.Id, "Sent Items", FolderRole.Sent);

        Assert.Equal(created.Id, again.Id);
        Assert.Equal(FolderRole.Sent, again.Role);
        Assert.Null(again.UidValidity);
        var folder = Assert.Single(await Store.ListFoldersAsync(mailbox.Id, Ct));
        Assert.Equal(new StoredFolder(created.Id, mailbox.Id, "Sent Items", FolderRole.Sent, null, null, null, null), folder);
    }

    [Fact]
    public async Task Saving_the_same_batch_twice_changes_nothing()
    {
        var mailbox = await Database.NewMailboxAsync();
        var inbox = await Database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox);
        var batch = Enumerable.Range(1, 50)
            .Select(i => TestMessages.Create((uint)i, $"m{i}@example.com", $"Body {i}", MessageFlags.Seen, ["$Forwarded"]))
            .ToList();

        await Store.SaveMessagesAsync(inbox.Id, batch, Ct);
        var first = await Inspector.GetTotalsAsync(mailbox.Id, Ct);
        var firstRows = await Inspector.ListFolderMessagesAsync(inbox.Id, Ct);
        await Store.SaveMessagesAsync(inbox.Id, batch, Ct);

        Assert.Equal(new StoreTotals(50, 50, 50, first.RawBytes, 100, 0), first);
        Assert.Equal(first, await Inspector.GetTotalsAsync(mailbox.Id, Ct));
        Assert.Equal(firstRows, await Inspector.ListFolderMessagesAsync(inbox.Id, Ct), new ViewComparer());
    }

    [Fact]
    public async Task Memberships_carry_uid_flags_keywords_and_raw()
    {
        var mailbox = await Database.NewMailboxAsync();
        var inbox = await Database.NewFolderAsync(mailbox.Id, "INBOX");
        var message = TestMessages.Create(uint.MaxValue, "big-uid@example.com", flags: MessageFlags.Seen | MessageFlags.Flagged,
            keywords: ["$Forwarded", "Work"]);

        await Store.SaveMessagesAsync(inbox.Id, [message], Ct);

        var membership = Assert.Single(await Store.GetMembershipsAsync(inbox.Id, Ct)).Value;
        Assert.Equal(uint.MaxValue, membership.Uid);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Flagged, membership.Flags);
        Assert.Equal(["$Forwarded", "Work"], membership.Keywords);
        Assert.Equal(message.RawSha256, membership.RawSha256);
        Assert.Equal(message.Fetched.Raw.ToArray(), await Store.GetRawAsync(message.RawSha256, Ct));
        Assert.Null(await Store.GetRawAsync(new string('0', 64), Ct));
        var view = Assert.Single(await Inspector.ListFolderMessagesAsync(mailbox.Id, "INBOX", Ct));
        Assert.Equal(message.IdentityKey, view.IdentityKey);
        Assert.Equal(membership.MessageId, view.MessageId);
    }

    [Fact]
    public async Task Same_identity_in_two_folders_is_one_message_with_two_memberships()
    {
        var mailbox = await Database.NewMailboxAsync();
        var inbox = await Database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox);
        var archive = await Database.NewFolderAsync(mailbox.Id, "Archive", FolderRole.Archive);
        var delivered = TestMessages.Create(7, "shared@example.com", trace: "from mx.example.com");
        // The archived copy differs in trace headers: another raw copy, the same identity.
        var archived = TestMessages.Create(3, "shared@example.com", trace: "from archive.example.com", flags: MessageFlags.Seen);
        Assert.Equal(delivered.IdentityKey, archived.IdentityKey);
        Assert.NotEqual(delivered.RawSha256, archived.RawSha256);

        await Store.SaveMessagesAsync(inbox.Id, [delivered], Ct);
        await Store.SaveMessagesAsync(archive.Id, [archived], Ct);

        var inInbox = Assert.Single(await Inspector.ListFolderMessagesAsync(inbox.Id, Ct));
        var inArchive = Assert.Single(await Inspector.ListFolderMessagesAsync(archive.Id, Ct));
        Assert.Equal(inInbox.MessageId, inArchive.MessageId);
        Assert.Equal((7u, delivered.RawSha256), (inInbox.Uid, inInbox.RawSha256));
        Assert.Equal((3u, archived.RawSha256, MessageFlags.Seen), (inArchive.Uid, inArchive.RawSha256, inArchive.Flags));
        var totals = await Inspector.GetTotalsAsync(mailbox.Id, Ct);
        Assert.Equal((1, 2, 2), (totals.Messages, totals.Memberships, totals.RawMime));
        Assert.Equal([("Archive", 1L), ("INBOX", 1L)], (await Inspector.CountByFolderAsync(mailbox.Id, Ct)).Select(c => (c.Path, c.Memberships)));
    }

    [Fact]
    public async Task Same_identity_twice_in_one_batch_is_one_message_with_two_memberships()
    {
        var mailbox = await Database.NewMailboxAsync();
        var inbox = await Database.NewFolderAsync(mailbox.Id, "INBOX");
        var message = TestMessages.Create(1, "twice@example.com");

        await Store.SaveMessagesAsync(inbox.Id, [message, message.InFolder(2)], Ct);

        var rows = await Inspector.ListFolderMessagesAsync(inbox.Id, Ct);
        Assert.Equal([1u, 2u], rows.Select(r => r.Uid));
        Assert.Single(rows.Select(r => r.MessageId).Distinct());
    }

    [Fact]
    public async Task Same_message_id_with_different_content_is_two_messages()
    {
        var mailbox = await Database.NewMailboxAsync();
        var inbox = await Database.NewFolderAsync(mailbox.Id, "INBOX");
        var first = TestMessages.Create(1, "reused@example.com", subject: "Invoice");
        var second = TestMessages.Create(2, "reused@example.com", subject: "Newsletter");
        Assert.NotEqual(first.IdentityKey, second.IdentityKey);

        await Store.SaveMessagesAsync(inbox.Id, [first, second], Ct);

        var rows = await Inspector.ListFolderMessagesAsync(inbox.Id, Ct);
        Assert.Equal(2, rows.Select(r => r.MessageId).Distinct().Count());
        Assert.All(rows, r => Assert.Equal("reused@example.com", r.MessageIdHeader));
        Assert.Equal(["Invoice", "Newsletter"], rows.Select(r => r.Subject));
    }

    [Fact]
    public async Task Raw_mime_is_stored_once_however_many_folders_and_mailboxes_hold_it()
    {
        var alice = await Database.NewMailboxAsync();
        var bob = await Database.NewMailboxAsync();
        var aliceInbox = await Database.NewFolderAsync(alice.Id, "INBOX");
        var aliceAll = await Database.NewFolderAsync(alice.Id, "All Mail", FolderRole.All);
        var bobInbox = await Database.NewFolderAsync(bob.Id, "INBOX");
        var message = TestMessages.Create(1, $"{Guid.NewGuid()}@example.com");
        var before = await Inspector.GetTotalsAsync(Ct);

        await Store.SaveMessagesAsync(aliceInbox.Id, [message], Ct);
        await Store.SaveMessagesAsync(aliceAll.Id, [message.InFolder(10)], Ct);
        await Store.SaveMessagesAsync(bobInbox.Id, [message.InFolder(5)], Ct);

        var after = await Inspector.GetTotalsAsync(Ct);
        Assert.Equal(1, after.RawMime - before.RawMime);
        Assert.Equal(message.Fetched.Raw.Length, after.RawBytes - before.RawBytes);
        Assert.Equal(2, after.Messages - before.Messages);
        Assert.Equal(3, after.Memberships - before.Memberships);
    }

    [Fact]
    public async Task Reset_forgets_uids_keeps_messages_and_rematches_them_by_identity()
    {
        var mailbox = await Database.NewMailboxAsync();
        var inbox = await Database.NewFolderAsync(mailbox.Id, "INBOX");
        var batch = Enumerable.Range(1, 5).Select(i => TestMessages.Create((uint)i, $"r{i}@example.com")).ToList();
        await Store.CompleteFolderSyncAsync(inbox.Id, new FolderStatus(100, 6, 42, 5), TestDatabase.Start, Ct);
        await Store.SaveMessagesAsync(inbox.Id, batch, Ct);
        var ids = (await Inspector.ListFolderMessagesAsync(inbox.Id, Ct)).Select(r => r.MessageId).ToList();

        await Store.ResetFolderAsync(inbox.Id, 200, Ct);

        Assert.Empty(await Store.GetMembershipsAsync(inbox.Id, Ct));
        var folder = Assert.Single(await Store.ListFoldersAsync(mailbox.Id, Ct));
        Assert.Equal((200u, (uint?)null, (ulong?)null), (folder.UidValidity, folder.UidNext, folder.HighestModSeq));
        Assert.Equal(5, (await Inspector.GetTotalsAsync(mailbox.Id, Ct)).Messages);

        // The server renumbered: the same messages come back under new UIDs and are matched, not duplicated.
        await Store.SaveMessagesAsync(inbox.Id, [.. batch.Select((m, i) => m.InFolder((uint)(1000 + i)))], Ct);
        var rows = await Inspector.ListFolderMessagesAsync(inbox.Id, Ct);
        Assert.Equal(Enumerable.Range(1000, 5).Select(i => (uint)i), rows.Select(r => r.Uid));
        Assert.Equal(ids, rows.Select(r => r.MessageId));
        Assert.Equal((5, 5), ((await Inspector.GetTotalsAsync(mailbox.Id, Ct)).Messages, (await Inspector.GetTotalsAsync(mailbox.Id, Ct)).Memberships));
    }

    [Fact]
    public async Task Flags_and_keywords_are_updated_for_existing_uids_only()
    {
        var mailbox = await Database.NewMailboxAsync();
        var inbox = await Database.NewFolderAsync(mailbox.Id, "INBOX");
        await Store.SaveMessagesAsync(inbox.Id, [
            TestMessages.Create(1, "f1@example.com"),
            TestMessages.Create(2, "f2@example.com", flags: MessageFlags.Seen, keywords: ["Work"]),
            TestMessages.Create(3, "f3@example.com", flags: MessageFlags.Seen)], Ct);

        await Store.UpdateFlagsAsync(inbox.Id, [
            new RemoteMessageState(1, MessageFlags.Seen | MessageFlags.Answered, ["$Forwarded"]),
            new RemoteMessageState(2, MessageFlags.Seen, []),
            new RemoteMessageState(3, MessageFlags.Seen, []),
            new RemoteMessageState(99, MessageFlags.Deleted, [])], Ct);

        var memberships = await Store.GetMembershipsAsync(inbox.Id, Ct);
        Assert.Equal([1u, 2u, 3u], memberships.Keys.Order());
        Assert.Equal(MessageFlags.Seen | MessageFlags.Answered, memberships[1].Flags);
        Assert.Equal(["$Forwarded"], memberships[1].Keywords);
        Assert.Equal(MessageFlags.Seen, memberships[2].Flags);
        Assert.Empty(memberships[2].Keywords);
        Assert.Equal(MessageFlags.Seen, memberships[3].Flags);
    }

    [Fact]
    public async Task Removing_memberships_keeps_the_messages()
    {
        var mailbox = await Database.NewMailboxAsync();
        var inbox = await Database.NewFolderAsync(mailbox.Id, "INBOX");
        await Store.SaveMessagesAsync(inbox.Id, [.. Enumerable.Range(1, 2500).Select(i => TestMessages.Create((uint)i, $"d{i}@example.com"))], Ct);

        // More UIDs than one statement's IN list holds, and some the store never had.
        var gone = Enumerable.Range(1, 2600).Where(i => i % 2 == 0).Select(i => (uint)i).ToList();
        await Store.RemoveMembershipsAsync(inbox.Id, gone, Ct);

        var left = await Store.GetMembershipsAsync(inbox.Id, Ct);
        Assert.Equal(Enumerable.Range(1, 2500).Where(i => i % 2 == 1).Select(i => (uint)i), left.Keys.Order());
        Assert.Equal(2500, (await Inspector.GetTotalsAsync(mailbox.Id, Ct)).Messages);
    }

    [Fact]
    public async Task Memberships_are_counted_and_read_by_uid_without_reading_the_whole_folder()
    {
        var mailbox = await Database.NewMailboxAsync();
        var inbox = await Database.NewFolderAsync(mailbox.Id, "INBOX");
        await Store.SaveMessagesAsync(inbox.Id, [.. Enumerable.Range(1, 600).Select(i => TestMessages.Create((uint)i, $"c{i}@example.com",
            flags: i == 7 ? MessageFlags.Flagged : MessageFlags.None, keywords: i == 7 ? ["Work"] : []))], Ct);

        Assert.Equal(600, await Store.CountMembershipsAsync(inbox.Id, Ct));
        // More UIDs than one statement's IN list holds, some of them never stored.
        var asked = Enumerable.Range(1, 900).Where(i => i % 3 == 1).Select(i => (uint)i).Append(7u).ToHashSet();
        var found = await Store.GetMembershipsAsync(inbox.Id, asked, Ct);
        Assert.Equal(asked.Where(uid => uid <= 600).Order(), found.Keys.Order());
        Assert.Equal(MessageFlags.Flagged, found[7].Flags);
        Assert.Equal(["Work"], found[7].Keywords);
        Assert.Empty(await Store.GetMembershipsAsync(inbox.Id, [], Ct));
    }

    [Fact]
    public async Task Complete_folder_sync_checkpoints_the_folder()
    {
        var mailbox = await Database.NewMailboxAsync();
        var inbox = await Database.NewFolderAsync(mailbox.Id, "INBOX");
        var at = new DateTimeOffset(2026, 11, 29, 9, 15, 30, 123, TimeSpan.FromHours(-5)).AddTicks(4560);

        await Store.CompleteFolderSyncAsync(inbox.Id, new FolderStatus(uint.MaxValue, 4_000_000_000, ulong.MaxValue - 1, 10), at, Ct);

        var folder = Assert.Single(await Store.ListFoldersAsync(mailbox.Id, Ct));
        Assert.Equal((uint?)uint.MaxValue, folder.UidValidity);
        Assert.Equal((uint?)4_000_000_000, folder.UidNext);
        Assert.Equal((ulong?)(ulong.MaxValue - 1), folder.HighestModSeq);
        Assert.Equal(at, folder.LastSyncedAt);

        await Store.CompleteFolderSyncAsync(inbox.Id, new FolderStatus(7, null, null, 0), at, Ct);
        folder = Assert.Single(await Store.ListFoldersAsync(mailbox.Id, Ct));
        Assert.Equal((7u, (uint?)null, (ulong?)null), (folder.UidValidity, folder.UidNext, folder.HighestModSeq));
    }

    [Fact]
    public async Task Writing_to_a_missing_folder_fails_and_writes_nothing()
    {
        var before = await Inspector.GetTotalsAsync(Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Store.SaveMessagesAsync(long.MaxValue, [TestMessages.Create(1, $"{Guid.NewGuid()}@example.com")], Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.ResetFolderAsync(long.MaxValue, 1, Ct));

        Assert.Equal(before, await Inspector.GetTotalsAsync(Ct));
    }

    [Fact]
    public async Task Overlapping_batches_written_concurrently_store_each_message_once()
    {
        var mailbox = await Database.NewMailboxAsync();
        var folders = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Database.NewFolderAsync(mailbox.Id, $"F{i}")));
        var messages = Enumerable.Range(1, 200).Select(i => TestMessages.Create((uint)i, $"c{i}@example.com")).ToList();

        // Four folders hold the same messages; every writer races every other for each identity and raw copy.
        await Task.WhenAll(folders.SelectMany(f => messages.Chunk(50).Select(chunk => Task.Run(() => Store.SaveMessagesAsync(f.Id, chunk, Ct)))));

        var totals = await Inspector.GetTotalsAsync(mailbox.Id, Ct);
        Assert.Equal((200, 800, 200), (totals.Messages, totals.Memberships, totals.RawMime));
    }

    [Fact]
    public async Task Text_that_a_database_would_refuse_is_stored_cleaned()
    {
        var mailbox = await Database.NewMailboxAsync();
        var inbox = await Database.NewFolderAsync(mailbox.Id, "INBOX");
        var longId = new string('a', 3000) + "@example.com";
        var raw = System.Text.Encoding.UTF8.GetBytes("Subject: broken\r\n\r\nbody\0\r\n");
        var message = TestMessages.Ingest(1, raw, new NormalizedMessage
        {
            MessageId = longId,
            Subject = "nul\0 and lone \uD800 surrogate, and a pair \U0001F600",
            TextBody = "body\0",
            From = [new MessageAddress("N\0", new string('b', 3000) + "@example.com")],
            Snippet = "body",
            Problems = ["bad charset"],
        });

        await Store.SaveMessagesAsync(inbox.Id, [message], Ct);
        await Store.SaveMessagesAsync(inbox.Id, [message], Ct);

        var view = Assert.Single(await Inspector.ListFolderMessagesAsync(inbox.Id, Ct));
        Assert.Equal("nul\uFFFD and lone \uFFFD surrogate, and a pair \U0001F600", view.Subject);
        Assert.StartsWith("k:", view.IdentityKey, StringComparison.Ordinal);
        Assert.Equal(raw, await Store.GetRawAsync(message.RawSha256, Ct));
    }

    private sealed class ViewComparer : IEqualityComparer<StoredMessageView>
    {
        public bool Equals(StoredMessageView? x, StoredMessageView? y) =>
            x is not null && y is not null && x with { Keywords = [] } == y with { Keywords = [] } && x.Keywords.SequenceEqual(y.Keywords);

        public int GetHashCode(StoredMessageView obj) => obj.Uid.GetHashCode();
    }
}
