using System.Collections.Concurrent;
using Mailroom.Core.Sync;

namespace Mailroom.Server.Sync;

/// <summary>
/// The latest progress of each mailbox's running sync in this process, as the workers report it after each stored
/// batch: what the console shows live (messages, bytes, rate, time left). A sync that starts again (fewer messages done
/// than last reported) starts its clock again. Held in memory: on several nodes, the node running the worker knows.
/// </summary>
internal sealed class SyncProgressBoard(TimeProvider time)
{
    private readonly ConcurrentDictionary<long, LiveSync> _syncs = new();

    /// <summary>The progress sink for one mailbox's worker.</summary>
    public IProgress<SyncProgress> For(long mailboxId) => new Sink(this, mailboxId);

    /// <summary>The mailbox's last reported sync, or null when none ran in this process.</summary>
    public LiveSync? Get(long mailboxId) => _syncs.TryGetValue(mailboxId, out var live) ? live : null;

    private void Report(long mailboxId, SyncProgress progress)
    {
        var now = time.GetUtcNow();
        _syncs.AddOrUpdate(mailboxId,
            _ => new LiveSync(progress, now, now),
            (_, previous) => progress.MessagesDone < previous.Progress.MessagesDone || progress.MessagesTotal != previous.Progress.MessagesTotal
                ? new LiveSync(progress, now, now)
                : previous with { Progress = progress, UpdatedAt = now });
    }

    private sealed class Sink(SyncProgressBoard board, long mailboxId) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => board.Report(mailboxId, value);
    }
}
