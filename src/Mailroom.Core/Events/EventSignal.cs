namespace Mailroom.Core.Events;

/// <summary>
/// Wakes readers of the event log in this process when a transaction that wrote events has committed. Other
/// processes sharing the database are not signalled: their readers poll.
/// </summary>
public sealed class EventSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A task that completes at the next <see cref="Notify"/>. Take it before reading, then wait on it, so no commit is missed in between.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Called after a commit that wrote events.</summary>
    public void Notify()
    {
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _next, fresh).TrySetResult();
    }

    /// <summary>Waits until <paramref name="next"/> completes or <paramref name="timeout"/> passes; false on time-out.</summary>
    public static async Task<bool> WaitAsync(Task next, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (timeout <= TimeSpan.Zero)
            return next.IsCompleted;
        try
        {
            await next.WaitAsync(timeout, time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
