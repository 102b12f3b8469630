namespace Mailroom.Core.Sync;

/// <summary>
/// Bounds the raw bytes a fetch pipeline holds between receiving a message and storing it: counted messages bound
/// memory only at the average size, and a run of large messages (attachments of megabytes) would otherwise fill every
/// queue with them. One acquirer (the fetch stage) waits while the limit would be passed; the store stage releases
/// what each stored batch held. A message larger than the limit still passes, alone, when nothing else is held.
/// </summary>
internal sealed class InFlightBytes(long limit)
{
    private readonly Lock _lock = new();
    private long _held;
    private long _waitingFor;
    private TaskCompletionSource? _waiter;

    /// <summary>Bytes held now.</summary>
    public long Held
    {
        get
        {
            lock (_lock)
                return _held;
        }
    }

    /// <summary>Waits until <paramref name="bytes"/> fit under the limit (or nothing is held), then holds them.</summary>
    public async ValueTask AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            TaskCompletionSource waiter;
            lock (_lock)
            {
                if (_held == 0 || _held + bytes <= limit)
                {
                    _held += bytes;
                    return;
                }

                if (_waiter is not null)
                    throw new InvalidOperationException("InFlightBytes has one acquirer at a time.");
                _waiter = waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waitingFor = bytes;
            }

            try
            {
                await waiter.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                lock (_lock)
                {
                    if (_waiter == waiter)
                        _waiter = null;
                }
            }
        }
    }

    /// <summary>Gives back bytes an earlier <see cref="AcquireAsync"/> held.</summary>
    public void Release(long bytes)
    {
        TaskCompletionSource? wake = null;
        lock (_lock)
        {
            _held = Math.Max(0, _held - bytes);
            if (_waiter is not null && (_held == 0 || _held + _waitingFor <= limit))
            {
                wake = _waiter;
                _waiter = null;
            }
        }

        wake?.TrySetResult();
    }
}
