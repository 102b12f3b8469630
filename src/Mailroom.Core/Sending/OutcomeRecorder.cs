using System.Runtime.ExceptionServices;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sending;

/// <summary>
/// Group commit of send outcomes. The sender hands each outcome over and goes on to the next message; one write at a
/// time records, in one transaction, everything handed over since the previous write began. Writes start at least
/// <see cref="OutboxOptions.RecordInterval"/> apart: at a few messages a minute each outcome is written at once, at
/// full speed a claim of 100 costs a handful of transactions instead of 100 (a transaction per message cost more CPU
/// than submitting the message). An outcome is so committed within one interval plus one write of the server's answer.
/// </summary>
/// <remarks>
/// A failed write (the database unreachable) stops the sender at its next <see cref="Add"/>: sending on without
/// recording would only widen the window in which a lost process re-sends. Writes run in order and are never cancelled
/// (the server has answered); <see cref="FlushAsync"/> skips the wait.
/// </remarks>
internal sealed class OutcomeRecorder(IOutboxStore outbox, TimeSpan interval, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _flushing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<SendResult> _waiting = [];
    private Task _writer = Task.CompletedTask;
    private bool _writing;
    private long _lastWriteStarted = long.MinValue;
    private ExceptionDispatchInfo? _failure;

    /// <exception cref="Exception">An earlier write failed; rethrown here so that nothing more is sent.</exception>
    public void Add(SendResult result)
    {
        lock (_gate)
        {
            _failure?.Throw();
            _waiting.Add(result);
            if (!_writing)
            {
                _writing = true;
                _writer = Task.Run(WriteAsync);
            }
        }
    }

    /// <summary>Writes what is waiting without waiting for the interval, and returns once everything handed over is recorded; rethrows a failed write.</summary>
    public async Task FlushAsync()
    {
        _flushing.TrySetResult();
        while (true)
        {
            Task writer;
            lock (_gate)
            {
                _failure?.Throw();
                if (!_writing)
                    return;
                writer = _writer;
            }
            await writer;
        }
    }

    private async Task WriteAsync()
    {
        while (true)
        {
            var due = _lastWriteStarted == long.MinValue ? TimeSpan.Zero : interval - time.GetElapsedTime(_lastWriteStarted);
            if (due > TimeSpan.Zero && !_flushing.Task.IsCompleted)
                await Task.WhenAny(Task.Delay(due, time), _flushing.Task);

            List<SendResult> batch;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _writing = false;
                    return;
                }
                batch = _waiting;
                _waiting = [];
            }
            _lastWriteStarted = time.GetTimestamp();
            try
            {
                await outbox.RecordAsync(batch, CancellationToken.None);
            }
            catch (Exception ex)
            {
                lock (_gate)
                {
                    _failure = ExceptionDispatchInfo.Capture(ex);
                    _writing = false;
                }
                return;
            }
        }
    }
}
