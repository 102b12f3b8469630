namespace Mailroom.Core.Sync;

/// <summary>
/// Calls <c>onStored</c>, synchronously on the reporting thread, each time a sync reports stored messages.
/// (<see cref="Progress{T}"/> would post to the thread pool, after the failure it is meant to precede.)
/// </summary>
internal sealed class ProgressSignal(Action onStored) : IProgress<SyncProgress>
{
    public void Report(SyncProgress value)
    {
        if (value.MessagesDone > 0)
            onStored();
    }
}
