using System.Threading.Channels;
using Mailroom.Core.Sending;
using Mailroom.Core.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Core.Tests.Sending;

/// <summary>Group commit of send outcomes: how outcomes are grouped into writes, and what a failed write does.</summary>
public sealed class OutcomeRecorderTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan NotWithin = TimeSpan.FromMilliseconds(300);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-29T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly WritesOutbox _outbox = new();

    [Fact]
    public async Task The_first_outcome_is_written_at_once_and_those_within_the_interval_after_it_together()
    {
        var recorder = new OutcomeRecorder(_outbox, Interval, _time);
        recorder.Add(Result(1));
        Assert.Equal([1L], await _outbox.NextWriteAsync());

        recorder.Add(Result(2));
        recorder.Add(Result(3));
        Assert.False(await _outbox.WroteWithinAsync(NotWithin), "written before the interval had passed");
        _time.Advance(Interval);
        Assert.Equal([2L, 3L], await _outbox.NextWriteAsync());
        await recorder.FlushAsync();
    }

    [Fact]
    public async Task An_outcome_after_a_quiet_interval_is_written_at_once()
    {
        var recorder = new OutcomeRecorder(_outbox, Interval, _time);
        recorder.Add(Result(1));
        Assert.Equal([1L], await _outbox.NextWriteAsync());
        await recorder.FlushAsync();

        _time.Advance(Interval + TimeSpan.FromMilliseconds(1));
        recorder.Add(Result(2));
        Assert.Equal([2L], await _outbox.NextWriteAsync());
    }

    [Fact]
    public async Task Flush_writes_what_waits_without_waiting_for_the_interval()
    {
        var recorder = new OutcomeRecorder(_outbox, Interval, _time);
        recorder.Add(Result(1));
        Assert.Equal([1L], await _outbox.NextWriteAsync());
        recorder.Add(Result(2));

        await recorder.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal([2L], await _outbox.NextWriteAsync());
    }

    [Fact]
    public async Task A_failed_write_stops_the_sender_at_its_next_outcome()
    {
        _outbox.Failure = new InvalidOperationException("database is gone");
        var recorder = new OutcomeRecorder(_outbox, Interval, _time);
        recorder.Add(Result(1));

        var flushed = await Assert.ThrowsAsync<InvalidOperationException>(recorder.FlushAsync);
        Assert.Equal("database is gone", flushed.Message);
        Assert.Equal("database is gone", Assert.Throws<InvalidOperationException>(() => recorder.Add(Result(2))).Message);
    }

    private SendResult Result(long id)
    {
        var item = new OutboxItem(id, 7, "key-" + id, id + "@example.com", "from@example.com", ["to@example.com"], "s",
            OutboxState.Sending, 0, _time.GetUtcNow(), _time.GetUtcNow(), null, null, null, SentCopyState.Pending, null);
        return SendResult.Sent(new ClaimedItem(item, [], false, Guid.NewGuid(), _time.GetUtcNow().AddMinutes(2)), "250 ok", _time.GetUtcNow());
    }

    /// <summary>An outbox that only records groups of outcomes, one write at a time, as the store does.</summary>
    private sealed class WritesOutbox : IOutboxStore
    {
        private readonly Channel<IReadOnlyList<long>> _writes = Channel.CreateUnbounded<IReadOnlyList<long>>();

        public Exception? Failure { get; set; }

        public async Task<IReadOnlyList<long>> NextWriteAsync() =>
            await _writes.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        public async Task<bool> WroteWithinAsync(TimeSpan wait)
        {
            using var timeout = new CancellationTokenSource(wait);
            try
            {
                return await _writes.Reader.WaitToReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public Task<int> RecordAsync(IReadOnlyList<SendResult> results, CancellationToken cancellationToken)
        {
            if (Failure is { } failure)
                return Task.FromException<int>(failure);
            _writes.Writer.TryWrite([.. results.Select(r => r.Claim.Item.Id)]);
            return Task.FromResult(results.Count);
        }

        public Task<(OutboxItem Item, bool Created)> EnqueueAsync(long mailboxId, string idempotencyKey, ComposedMessage message, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<ClaimedItem>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int max, long? mailboxId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<int> RenewAsync(IReadOnlyList<ClaimedItem> claims, DateTimeOffset leaseUntil, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<ClaimedItem>> MarkSendingAsync(IReadOnlyList<ClaimedItem> claims, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task ReleaseAsync(ClaimedItem claim, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<(OutboxItem Item, byte[] Raw)>> ListPendingSentCopiesAsync(long mailboxId, int max, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<long>> MailboxesWithPendingSentCopiesAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task SetSentCopyProblemAsync(long id, string problem, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task SetSentCopiesAsync(IReadOnlyCollection<long> ids, SentCopyState state, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<OutboxItem?> GetAsync(long id, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<OutboxItem>> ListAsync(long? mailboxId, int max, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<byte[]?> GetRawAsync(long id, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
