using System.Text;
using Mailroom.Core.Connectors;
using Mailroom.Core.Identity;
using Mailroom.Core.Messages;
using Mailroom.Core.Sync;
using Mailroom.Core.Sync.Pop3;

namespace Mailroom.Core.Tests.Sync.Pop3;

public sealed class Pop3SyncTests
{
    private static readonly SyncOptions SmallBatches = new() { BatchSize = 10, ParseConcurrency = 2 };

    private static FakePop3Session Maildrop(int count)
    {
        var session = new FakePop3Session();
        for (var i = 1; i <= count; i++)
            session.Add($"uidl-{i:D4}", $"m{i}");
        return session;
    }

    private static Pop3Sync Sync(MemoryPop3Store store) => new(store, TimeProvider.System, SmallBatches);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task First_sync_retrieves_every_message_once_with_ascending_local_uids_and_no_top()
    {
        var store = new MemoryPop3Store();
        var session = Maildrop(35);

        var summary = await Sync(store).RunAsync(1, session, null, Token);

        Assert.Equal(35, summary.MessagesFetched);
        Assert.Equal(35, session.Counters.BodiesFetched);
        Assert.Equal(0, session.Counters.HeadersFetched); // nothing stored yet: no header could match
        Assert.Equal(35, store.MessageCount);
        Assert.Equal(Enumerable.Range(1, 35).Select(i => (uint)i), store.Memberships.Keys);
        Assert.Equal(Enumerable.Range(1, 35).Select(i => $"uidl-{i:D4}"), store.Memberships.Values.Select(m => m.RemoteId));
        Assert.Equal(4, store.SaveCalls); // batches of 10: each one a checkpoint
        Assert.Equal(35, store.RemoteCount);
    }

    [Fact]
    public async Task A_second_run_with_no_change_sends_no_retr_and_no_top()
    {
        var store = new MemoryPop3Store();
        var session = Maildrop(20);
        await Sync(store).RunAsync(1, session, null, Token);

        var again = session.Reconnect();
        var summary = await Sync(store).RunAsync(1, again, null, Token);

        Assert.Equal(0, again.Counters.BodiesFetched);
        Assert.Equal(0, again.Counters.HeadersFetched);
        Assert.Equal(0, summary.MessagesFetched);
        Assert.Equal(20, store.Memberships.Count);
    }

    [Fact]
    public async Task New_messages_are_the_only_ones_retrieved()
    {
        var store = new MemoryPop3Store();
        var session = Maildrop(20);
        await Sync(store).RunAsync(1, session, null, Token);

        var next = session.Reconnect().Add("uidl-new-1", "n1").Add("uidl-new-2", "n2").Add("uidl-new-3", "n3");
        var summary = await Sync(store).RunAsync(1, next, null, Token);

        Assert.Equal(3, next.Counters.BodiesFetched);
        Assert.Equal(3, next.Counters.HeadersFetched); // read first: they might have been stored under another UIDL
        Assert.Equal(3, summary.MessagesFetched);
        Assert.Equal([21u, 22u, 23u], store.Memberships.Where(m => m.Value.RemoteId.StartsWith("uidl-new", StringComparison.Ordinal)).Select(m => m.Key));
    }

    [Fact]
    public async Task Uidls_gone_from_the_server_lose_their_membership_and_their_uids_are_not_reused()
    {
        var store = new MemoryPop3Store();
        var session = Maildrop(10);
        await Sync(store).RunAsync(1, session, null, Token);

        var next = session.Reconnect();
        next.Messages.RemoveAll(m => m.Uidl is "uidl-0003" or "uidl-0010");
        var summary = await Sync(store).RunAsync(1, next, null, Token);
        Assert.Equal(2, summary.MembershipsRemoved);
        Assert.Equal(0, next.Counters.BodiesFetched);
        Assert.DoesNotContain(store.Memberships.Values, m => m.RemoteId is "uidl-0003" or "uidl-0010");

        // UID 10 was the highest and is gone: the next message still gets 11.
        var later = next.Reconnect().Add("uidl-0011", "m11");
        await Sync(store).RunAsync(1, later, null, Token);
        Assert.Equal("uidl-0011", store.Memberships[11].RemoteId);
        Assert.Equal(9, store.Memberships.Count);
    }

    [Fact]
    public async Task Reassigned_uidls_are_matched_by_their_headers_without_any_retr()
    {
        var store = new MemoryPop3Store();
        var session = Maildrop(25);
        await Sync(store).RunAsync(1, session, null, Token);

        // The server rebuilt its index: the same messages, every UIDL new.
        var rebuilt = new FakePop3Session();
        foreach (var (uidl, raw) in session.Messages)
            rebuilt.Messages.Add(("rebuilt-" + uidl, raw));
        var summary = await Sync(store).RunAsync(1, rebuilt, null, Token);

        Assert.Equal(0, rebuilt.Counters.BodiesFetched);
        Assert.Equal(25, rebuilt.Counters.HeadersFetched);
        Assert.Equal(25, summary.MembershipsRemoved);
        Assert.Equal(25, store.MessageCount);
        Assert.Equal(25, store.Memberships.Count);
        Assert.All(store.Memberships, m => Assert.StartsWith("rebuilt-", m.Value.RemoteId, StringComparison.Ordinal));
        Assert.All(store.Memberships.Keys, uid => Assert.InRange(uid, 26u, 50u)); // new UIDs, old ones retired
    }

    [Fact]
    public async Task Without_a_message_id_headers_decide_nothing_the_body_is_fetched_and_no_duplicate_is_made()
    {
        var store = new MemoryPop3Store();
        var session = new FakePop3Session().Add("a", "no-id-1", withMessageId: false).Add("b", "no-id-2", withMessageId: false);
        await Sync(store).RunAsync(1, session, null, Token);

        var rebuilt = new FakePop3Session();
        foreach (var (uidl, raw) in session.Messages)
            rebuilt.Messages.Add((uidl + "'", raw));
        await Sync(store).RunAsync(1, rebuilt, null, Token);

        Assert.Equal(2, rebuilt.Counters.BodiesFetched);
        Assert.Equal(2, store.MessageCount);
        Assert.Equal(2, store.Memberships.Count);
    }

    [Fact]
    public async Task A_server_without_top_is_synced_by_retr_alone()
    {
        var store = new MemoryPop3Store();
        var session = Maildrop(5);
        session.SupportsTop = false;
        await Sync(store).RunAsync(1, session, null, Token);
        var next = session.Reconnect().Add("uidl-new", "n");
        await Sync(store).RunAsync(1, next, null, Token);

        Assert.Equal(1, next.Counters.BodiesFetched);
        Assert.Equal(0, next.Counters.HeadersFetched);
        Assert.Equal(6, store.Memberships.Count);
    }

    [Fact]
    public async Task An_interrupted_run_is_resumed_by_the_next_without_duplicates()
    {
        var store = new MemoryPop3Store();
        var session = Maildrop(57);
        session.FailRetr = (34, new ConnectorException(ConnectorErrorKind.Transient, "connection reset"));
        await Assert.ThrowsAsync<ConnectorException>(() => Sync(store).RunAsync(1, session, null, Token));
        var kept = store.Memberships.Count;
        Assert.InRange(kept, 20, 34); // whole batches up to the failure are checkpoints

        var resumed = session.Reconnect();
        await Sync(store).RunAsync(1, resumed, null, Token);

        Assert.Equal(57 - kept, resumed.Counters.BodiesFetched);
        Assert.Equal(57, store.MessageCount);
        Assert.Equal(57, store.Memberships.Count);
        Assert.Equal(57, store.Memberships.Keys.Distinct().Count());
    }

    [Fact]
    public async Task A_cancelled_run_keeps_its_stored_batches_and_the_next_fetches_only_the_rest()
    {
        var store = new MemoryPop3Store();
        var session = Maildrop(40);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var progress = new SynchronousProgress(p =>
        {
            if (p.MessagesDone >= 20)
                cancel.Cancel();
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sync(store).RunAsync(1, session, progress, cancel.Token));
        var kept = store.Memberships.Count;
        Assert.InRange(kept, 20, 39);

        var resumed = session.Reconnect();
        await Sync(store).RunAsync(1, resumed, null, Token);
        Assert.Equal(40 - kept, resumed.Counters.BodiesFetched);
        Assert.Equal(40, store.Memberships.Count);
    }

    [Fact]
    public async Task A_message_the_server_refuses_is_skipped_and_fetched_next_time_if_it_is_still_there()
    {
        var store = new MemoryPop3Store();
        var session = Maildrop(8);
        session.Refused.Add("uidl-0004");
        await Sync(store).RunAsync(1, session, null, Token);
        Assert.Equal(7, store.Memberships.Count);

        var next = session.Reconnect();
        await Sync(store).RunAsync(1, next, null, Token);
        Assert.Equal(1, next.Counters.BodiesFetched);
        Assert.Contains(store.Memberships.Values, m => m.RemoteId == "uidl-0004");
    }

    [Theory]
    [InlineData("From: A <a@example.org>\r\nSubject: =?utf-8?B?0J/RgNC40LLQtdGC?=\r\nDate: Tue, 3 Mar 2026 10:00:00 +0100\r\nMessage-ID: <x1@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nbody\r\n")]
    [InlineData("Message-ID:   <x2@example.org>  \r\nFrom: \"B, C\" <b@example.org>, d@example.org\r\nSubject: Re: Fwd: report\r\n\r\nno date\r\n")]
    [InlineData("From: e@example.org\r\nMessage-ID: <x3@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\npart\r\n--b--\r\n")]
    public void The_identity_from_headers_is_the_identity_of_the_whole_message(string message)
    {
        var raw = Encoding.UTF8.GetBytes(message);
        var headers = raw.AsMemory(0, raw.AsSpan().IndexOf("\r\n\r\n"u8) + 4);
        var whole = MessageIdentity.Compute(MessageNormalizer.Normalize(raw), MessageIdentity.Sha256Hex(raw));

        Assert.StartsWith("m:", whole, StringComparison.Ordinal);
        Assert.Equal(whole, Pop3Sync.IdentityFromHeaders(headers));
    }

    [Fact]
    public void Headers_without_a_message_id_give_no_identity() =>
        Assert.Null(Pop3Sync.IdentityFromHeaders(Encoding.ASCII.GetBytes("From: a@example.org\r\nSubject: hi\r\n\r\n")));

    /// <summary>Reports on the caller's thread, at once (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<SyncProgress> report) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => report(value);
    }
}
