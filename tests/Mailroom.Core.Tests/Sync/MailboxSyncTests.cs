using Mailroom.Core.Connectors;
using Mailroom.Core.Sync;

namespace Mailroom.Core.Tests.Sync;

public sealed class MailboxSyncTests
{
    private static readonly SyncOptions SmallBatches = new() { BatchSize = 10, ParseConcurrency = 2 };

    private static FakeSession Mailbox(int inbox = 95)
    {
        var session = new FakeSession();
        for (uint uid = 1; uid <= inbox; uid++)
            session.Add("INBOX", uid, $"in-{uid}", uid % 2 == 0 ? MessageFlags.Seen : MessageFlags.None, FolderRole.Inbox);
        for (uint uid = 1; uid <= 12; uid++)
            session.Add("Sent", uid, $"out-{uid}", MessageFlags.Seen);
        session.Add("Spam", 1, "spam-1", role: FolderRole.Junk);
        session.Add("Sent", 13, "in-5");
        return session;
    }

    [Fact]
    public async Task Full_sync_fetches_everything_once_and_skips_junk()
    {
        var store = new MemoryMessageStore();
        var session = Mailbox();
        var summary = await new MailboxSync(store, TimeProvider.System, SmallBatches).RunAsync(1, session, null, TestContext.Current.CancellationToken);

        Assert.Equal(108, summary.MessagesFetched);
        Assert.Empty(summary.FolderErrors);
        var folders = await store.ListFoldersAsync(1, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(folders, f => f.Path == "Spam");
        Assert.Equal(FolderRole.Sent, folders.Single(f => f.Path == "Sent").Role);
        Assert.All(folders, f => Assert.NotNull(f.UidNext));
        Assert.Equal(107, store.MessageCount);
    }

    [Fact]
    public async Task Second_run_fetches_no_body_and_applies_flag_changes_and_expunges()
    {
        var store = new MemoryMessageStore();
        var sync = new MailboxSync(store, TimeProvider.System, SmallBatches);
        await sync.RunAsync(1, Mailbox(), null, TestContext.Current.CancellationToken);

        var session = Mailbox();
        session.Folders["INBOX"].Messages[1] = (MessageFlags.Flagged, session.Folders["INBOX"].Messages[1].Raw);
        session.Folders["INBOX"].Messages.Remove(2);
        var summary = await sync.RunAsync(1, session, null, TestContext.Current.CancellationToken);

        Assert.Equal(0, session.Counters.BodiesFetched);
        Assert.Equal(1, summary.FlagsUpdated);
        Assert.Equal(1, summary.MembershipsRemoved);
    }

    [Fact]
    public async Task Condstore_resync_fetches_only_what_changed_since_the_checkpoint()
    {
        var store = new MemoryMessageStore();
        var sync = new MailboxSync(store, TimeProvider.System, SmallBatches);
        var first = Mailbox();
        first.ModSeq["INBOX"] = 500;
        await sync.RunAsync(1, first, null, TestContext.Current.CancellationToken);

        var same = Mailbox();
        same.ModSeq["INBOX"] = 500;
        var unchanged = await sync.RunAsync(1, same, null, TestContext.Current.CancellationToken);
        Assert.Equal(SyncPlanKind.NothingToDo, unchanged.Plans["INBOX"]);
        Assert.Equal(1, same.StateFetches); // Sent only: its server has no HIGHESTMODSEQ in this fake

        // A flag change and an arrival: CHANGEDSINCE finds both; the count adds up, so no UID SEARCH.
        var changed = Mailbox();
        changed.ModSeq["INBOX"] = 502;
        changed.Folders["INBOX"].Messages[1] = (MessageFlags.Flagged, changed.Folders["INBOX"].Messages[1].Raw);
        changed.MessageModSeq[("INBOX", 1)] = 501;
        changed.Add("INBOX", 96, "in-96");
        changed.MessageModSeq[("INBOX", 96)] = 502;
        var summary = await sync.RunAsync(1, changed, null, TestContext.Current.CancellationToken);
        Assert.Equal(SyncPlanKind.CondStoreChanges, summary.Plans["INBOX"]);
        Assert.Equal(1, summary.FlagsUpdated);
        Assert.Equal(1, summary.MessagesFetched);
        Assert.Equal(0, changed.Searches);

        // An expunge: the count does not add up, so one UID SEARCH finds what is gone.
        var expunged = Mailbox();
        expunged.Add("INBOX", 96, "in-96");
        expunged.ModSeq["INBOX"] = 503;
        expunged.Folders["INBOX"].Messages[1] = (MessageFlags.Flagged, expunged.Folders["INBOX"].Messages[1].Raw);
        expunged.Folders["INBOX"].Messages.Remove(50);
        var after = await sync.RunAsync(1, expunged, null, TestContext.Current.CancellationToken);
        Assert.Equal(1, after.MembershipsRemoved);
        Assert.Equal(0, after.MessagesFetched);
        Assert.Equal(1, expunged.Searches);
        var inbox = (await store.ListFoldersAsync(1, TestContext.Current.CancellationToken)).Single(f => f.Path == "INBOX");
        Assert.Equal(expunged.Folders["INBOX"].Messages.Keys, (await store.GetMembershipsAsync(inbox.Id, TestContext.Current.CancellationToken)).Keys.Order());
    }

    [Fact]
    public async Task Qresync_resync_names_expunges_without_a_uid_search()
    {
        var store = new MemoryMessageStore();
        var sync = new MailboxSync(store, TimeProvider.System, SmallBatches);
        var first = Mailbox();
        first.QResync = true;
        first.ModSeq["INBOX"] = 500;
        await sync.RunAsync(1, first, null, TestContext.Current.CancellationToken);

        var changed = Mailbox();
        changed.QResync = true;
        changed.ModSeq["INBOX"] = 500;
        changed.Expunge("INBOX", 50, 501);
        changed.Expunge("INBOX", 51, 502);
        changed.Expunged["INBOX"].Add((4000, 503)); // VANISHED may name UIDs the client never had
        changed.ModSeq["INBOX"] = 503;
        changed.Folders["INBOX"].Messages[1] = (MessageFlags.Flagged, changed.Folders["INBOX"].Messages[1].Raw);
        changed.MessageModSeq[("INBOX", 1)] = 503;
        var summary = await sync.RunAsync(1, changed, null, TestContext.Current.CancellationToken);

        Assert.Equal(SyncPlanKind.QResyncChanges, summary.Plans["INBOX"]);
        Assert.Equal(2, summary.MembershipsRemoved);
        Assert.Equal(1, summary.FlagsUpdated);
        Assert.Equal(0, changed.Searches);
        var inbox = (await store.ListFoldersAsync(1, TestContext.Current.CancellationToken)).Single(f => f.Path == "INBOX");
        Assert.Equal(changed.Folders["INBOX"].Messages.Keys, (await store.GetMembershipsAsync(inbox.Id, TestContext.Current.CancellationToken)).Keys.Order());
    }

    [Fact]
    public async Task A_folder_gone_from_the_server_is_removed_and_its_messages_stay()
    {
        var store = new MemoryMessageStore();
        var sync = new MailboxSync(store, TimeProvider.System, SmallBatches);
        await sync.RunAsync(1, Mailbox(), null, TestContext.Current.CancellationToken);

        var renamed = Mailbox();
        renamed.Folders["Outbox copies"] = renamed.Folders["Sent"];
        renamed.Folders.Remove("Sent");
        var summary = await sync.RunAsync(1, renamed, null, TestContext.Current.CancellationToken);

        Assert.Equal(1, summary.FoldersRemoved);
        Assert.Equal(13, summary.MessagesRecognized);
        Assert.Equal(0, renamed.Counters.BodiesFetched);
        Assert.DoesNotContain(await store.ListFoldersAsync(1, TestContext.Current.CancellationToken), f => f.Path == "Sent");
        Assert.Equal(107, store.MessageCount);
    }

    [Fact]
    public async Task A_folder_the_server_refuses_is_recorded_with_its_error_and_cleared_by_the_next_success()
    {
        var store = new MemoryMessageStore();
        var sync = new MailboxSync(store, TimeProvider.System, SmallBatches);
        var session = Mailbox();
        session.RefuseOpen.Add("Sent");
        var summary = await sync.RunAsync(1, session, null, TestContext.Current.CancellationToken);

        Assert.Equal("Sent: SELECT Sent: NO Mailbox is locked", Assert.Single(summary.FolderErrors));
        Assert.Equal("SELECT Sent: NO Mailbox is locked", store.FolderErrors["Sent"]);
        Assert.Equal(95, summary.MessagesFetched);

        await sync.RunAsync(1, Mailbox(), null, TestContext.Current.CancellationToken);
        Assert.Empty(store.FolderErrors);
    }

    [Fact]
    public async Task Sync_window_fetches_only_messages_received_since_the_day()
    {
        var store = new MemoryMessageStore();
        var session = Mailbox();
        for (uint uid = 1; uid <= 90; uid++)
            session.Received[("INBOX", uid)] = new DateOnly(2025, 12, 31);
        var options = new SyncOptions { BatchSize = 10, ParseConcurrency = 1, Since = new DateOnly(2026, 1, 1) };
        var summary = await new MailboxSync(store, TimeProvider.System, options).RunAsync(1, session, null, TestContext.Current.CancellationToken);

        var inbox = (await store.ListFoldersAsync(1, TestContext.Current.CancellationToken)).Single(f => f.Path == "INBOX");
        Assert.Equal(new uint[] { 91, 92, 93, 94, 95 }, (await store.GetMembershipsAsync(inbox.Id, TestContext.Current.CancellationToken)).Keys.Order());
        Assert.Equal(5 + 13, summary.MessagesFetched);
    }

    [Theory]
    [InlineData(new[] { "INBOX" }, new string[0], new[] { "INBOX" })]
    [InlineData(new string[0], new[] { "Sent" }, new[] { "INBOX", "Projects", "Projects/A", "Projects/B/C" })]
    [InlineData(new[] { "Projects/*" }, new string[0], new[] { "Projects/A", "Projects/B/C" })]
    [InlineData(new string[0], new[] { "Projects/*", "Sent" }, new[] { "INBOX", "Projects" })]
    public async Task Folder_filters_choose_what_is_synced(string[] only, string[] never, string[] expected)
    {
        var store = new MemoryMessageStore();
        var session = Mailbox();
        session.Add("Projects", 1, "p");
        session.Add("Projects/A", 1, "pa");
        session.Add("Projects/B/C", 1, "pbc");
        var options = new SyncOptions { Folders = only, ExcludeFolders = never };
        await new MailboxSync(store, TimeProvider.System, options).RunAsync(1, session, null, TestContext.Current.CancellationToken);
        Assert.Equal(expected, (await store.ListFoldersAsync(1, TestContext.Current.CancellationToken)).Select(f => f.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Newest_messages_are_fetched_first()
    {
        var store = new MemoryMessageStore();
        var order = new List<uint>();
        var session = Mailbox();
        await new MailboxSync(store, TimeProvider.System, new SyncOptions { BatchSize = 10, ParseConcurrency = 1 })
            .RunAsync(1, new RecordingSession(session, order), null, TestContext.Current.CancellationToken);
        Assert.Equal(95u, order[0]);
        Assert.True(order.Take(95).SequenceEqual(order.Take(95).OrderDescending()));
    }

    [Fact]
    public async Task A_failing_store_stops_the_sync_with_its_error_and_keeps_earlier_batches()
    {
        var store = new MemoryMessageStore { FailSave = (3, new InvalidOperationException("disk full")) };
        var run = new MailboxSync(store, TimeProvider.System, SmallBatches).RunAsync(1, Mailbox(), null, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal("disk full", error.Message);
        var inbox = (await store.ListFoldersAsync(1, TestContext.Current.CancellationToken)).Single(f => f.Path == "INBOX");
        Assert.Null(inbox.UidNext);
        Assert.InRange((await store.GetMembershipsAsync(inbox.Id, TestContext.Current.CancellationToken)).Count, 1, 94);
    }

    [Fact]
    public async Task A_dropped_connection_fails_the_run_and_the_next_run_completes_without_refetching()
    {
        var store = new MemoryMessageStore();
        var sync = new MailboxSync(store, TimeProvider.System, SmallBatches);
        var broken = Mailbox();
        broken.FailFetch = (40, new ConnectorException(ConnectorErrorKind.Transient, "connection reset"));
        var error = await Assert.ThrowsAsync<ConnectorException>(
            () => sync.RunAsync(1, broken, null, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal(ConnectorErrorKind.Transient, error.Kind);

        var inbox = (await store.ListFoldersAsync(1, TestContext.Current.CancellationToken)).Single(f => f.Path == "INBOX");
        var kept = (await store.GetMembershipsAsync(inbox.Id, TestContext.Current.CancellationToken)).Count;
        Assert.Equal(40, kept); // every body delivered before the cut

        var session = Mailbox();
        var summary = await sync.RunAsync(1, session, null, TestContext.Current.CancellationToken);
        Assert.Equal(108 - kept, session.Counters.BodiesFetched);
        Assert.Equal(107, store.MessageCount);
    }

    [Fact]
    public async Task A_throwing_progress_observer_fails_the_run_instead_of_hanging_it()
    {
        var store = new MemoryMessageStore();
        var run = new MailboxSync(store, TimeProvider.System, SmallBatches)
            .RunAsync(1, Mailbox(), new ThrowingProgress(), TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<ArithmeticException>(() => run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Uidvalidity_change_re_matches_by_identity_without_duplicates()
    {
        var store = new MemoryMessageStore();
        var sync = new MailboxSync(store, TimeProvider.System, SmallBatches);
        await sync.RunAsync(1, Mailbox(), null, TestContext.Current.CancellationToken);

        var renumbered = Mailbox();
        var inbox = renumbered.Folders["INBOX"];
        var shifted = new SortedDictionary<uint, (MessageFlags, byte[])>(inbox.Messages.ToDictionary(m => m.Key + 1000, m => m.Value));
        renumbered.Folders["INBOX"] = (77, shifted, FolderRole.Inbox);
        var summary = await sync.RunAsync(1, renumbered, null, TestContext.Current.CancellationToken);

        Assert.Equal(1, summary.UidValidityResets);
        Assert.Equal(107, store.MessageCount);
        var stored = await store.GetMembershipsAsync(1, TestContext.Current.CancellationToken);
        Assert.Equal(shifted.Keys.Order(), stored.Keys.Order());
        // Recognized from Message-ID and size: no body downloaded again.
        Assert.Equal(95, summary.MessagesRecognized);
        Assert.Equal(0, renumbered.Counters.BodiesFetched);
    }

    private sealed class ThrowingProgress : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => throw new ArithmeticException("observer bug");
    }

    private sealed class RecordingSession(FakeSession inner, List<uint> order) : IMailboxSession
    {
        public IReadOnlySet<string> Capabilities => inner.Capabilities;
        public SessionCounters Counters => inner.Counters;
        public Task<IReadOnlyList<RemoteFolder>> ListFoldersAsync(CancellationToken cancellationToken) => inner.ListFoldersAsync(cancellationToken);
        public Task<FolderStatus> OpenFolderAsync(string path, CancellationToken cancellationToken) => inner.OpenFolderAsync(path, cancellationToken);
        public Task<IReadOnlyList<RemoteMessageState>> FetchStatesAsync(CancellationToken cancellationToken) => inner.FetchStatesAsync(cancellationToken);
        public ChangeTracking ChangeTracking => inner.ChangeTracking;
        public bool WatchesAllFolders => inner.WatchesAllFolders;
        public Task<FolderChanges> FetchChangesAsync(ulong changedSince, CancellationToken cancellationToken) => inner.FetchChangesAsync(changedSince, cancellationToken);
        public Task<IReadOnlyList<RemoteMessageSummary>> FetchSummariesAsync(IReadOnlyList<uint> uids, CancellationToken cancellationToken) => inner.FetchSummariesAsync(uids, cancellationToken);
        public Task<IReadOnlyList<uint>> SearchUidsAsync(CancellationToken cancellationToken) => inner.SearchUidsAsync(cancellationToken);
        public Task<IReadOnlyList<uint>> SearchUidsSinceAsync(DateOnly since, CancellationToken cancellationToken) => inner.SearchUidsSinceAsync(since, cancellationToken);
        public Task<IReadOnlySet<string>> WaitForChangesAsync(string folder, TimeSpan maxDuration, CancellationToken cancellationToken) => inner.WaitForChangesAsync(folder, maxDuration, cancellationToken);
        public Task FetchMessagesAsync(IReadOnlyList<uint> uids, Func<FetchedMessage, CancellationToken, ValueTask> onMessage, CancellationToken cancellationToken)
        {
            order.AddRange(uids);
            return inner.FetchMessagesAsync(uids, onMessage, cancellationToken);
        }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
