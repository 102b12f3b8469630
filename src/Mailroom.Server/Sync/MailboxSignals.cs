using System.Threading.Channels;

namespace Mailroom.Server.Sync;

/// <summary>
/// Requests to <see cref="MailboxSupervisor"/> from the API: reconcile now (a mailbox was paused, resumed or is about to
/// be removed) or sync one mailbox now. The supervisor handles them on its own loop, so its workers are only ever
/// touched from there.
/// </summary>
internal sealed class MailboxSignals
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(30);
    private readonly Channel<MailboxSignal> _channel = Channel.CreateUnbounded<MailboxSignal>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<MailboxSignal> Reader => _channel.Reader;

    /// <summary>Restarts the mailbox's worker, which begins with a full sync.</summary>
    public void SyncNow(long mailboxId) => _channel.Writer.TryWrite(new MailboxSignal(mailboxId, SyncNow: true, Done: null));

    /// <summary>
    /// Asks for a reconcile and waits until it is done: workers of paused and removed mailboxes have then ended.
    /// False when no supervisor answered in time (a process that runs no workers).
    /// </summary>
    public async Task<bool> ReconcileAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _channel.Writer.TryWrite(new MailboxSignal(0, SyncNow: false, done));
        try
        {
            await done.Task.WaitAsync(StopWait, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}

/// <summary>One request in <see cref="MailboxSignals"/>.</summary>
internal sealed record MailboxSignal(long MailboxId, bool SyncNow, TaskCompletionSource? Done);
