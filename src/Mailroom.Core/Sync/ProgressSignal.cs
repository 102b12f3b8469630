namespace Mailroom.Core.Sync;

/// <summary>
/// Calls <c>onStored</c>, synchronously on the reporting thread, each time a sync reports stored messages.
/// (<see cref="Progress{T}"/> would post to the thread pool, after the failure it is meant to precede.) Every report
/// also goes to <c>observer</c>, when there is one (the server's live progress).
/// </summary>
internal sealed class ProgressSignal(Action onStored, IProgress<SyncProgress>? observer) : IProgress<SyncProgress>
{
    public void Report(SyncProgress value)
    {
        if (value.MessagesDone > 0)
            onStored();
        observer?.Report(value);
    }
}
