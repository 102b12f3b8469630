namespace Mailroom.Core.Sync;

/// <summary>
/// How many UIDs the next body fetch asks for: at most <c>maxCount</c>, and about <see cref="ByteBudget"/> bytes at the
/// average size of the messages received so far. A connection that is cut halves the budget to what it carried
/// (a link or server that ends sessions after a few megabytes then gets commands it can finish); every batch
/// that completes doubles it again, up to <c>maxBytes</c>. Messages received whole before a cut are kept whatever the
/// budget (see <see cref="FolderFetchPipeline"/>): the budget bounds what one command has in flight, not what is kept.
/// Not thread-safe: one fetch at a time per mailbox.
/// </summary>
internal sealed class FetchBatchSizer
{
    private readonly int _maxCount;
    private readonly long _maxBytes;
    private long _messages;
    private long _bytes;

    public FetchBatchSizer(int maxCount, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, SyncOptions.MinBatchBytes);
        _maxCount = maxCount;
        _maxBytes = maxBytes;
        ByteBudget = maxBytes;
    }

    /// <summary>Bytes the next batch should carry.</summary>
    public long ByteBudget { get; private set; }

    /// <summary>
    /// UIDs for the next fetch out of <paramref name="remaining"/>: never fewer than one (a message larger than the
    /// budget is still fetched, alone), never more than <c>maxCount</c>. Before any message was seen the size is unknown,
    /// and the count alone decides.
    /// </summary>
    public int NextCount(int remaining)
    {
        if (remaining <= 0)
            return 0;
        if (_messages == 0)
            return Math.Min(remaining, _maxCount);
        var average = Math.Max(1, _bytes / _messages);
        return (int)Math.Min(remaining, Math.Clamp(ByteBudget / average, 1, _maxCount));
    }

    /// <summary>A message arrived whole.</summary>
    public void Received(long bytes)
    {
        _messages++;
        _bytes += bytes;
    }

    /// <summary>A batch's fetch finished: the connection carried it, so the next may be twice as large.</summary>
    public void Completed() => ByteBudget = Math.Min(_maxBytes, ByteBudget * 2);

    /// <summary>The connection was cut after carrying <paramref name="carried"/> bytes of whole messages.</summary>
    /// <remarks>The floor keeps growing back after a bad connection to a few batches, not dozens.</remarks>
    public void Cut(long carried) => ByteBudget = Math.Max(SyncOptions.MinBatchBytes, Math.Min(ByteBudget, carried) / 2);
}
