using Mailroom.Core.Connectors;

namespace Mailroom.Core.Sync;

/// <summary>
/// The whole life of one mailbox, host-agnostic: connect, sync everything, then follow INBOX with IDLE (syncing it
/// as soon as the server announces a change) and, where the server offers NOTIFY, every other folder the same way;
/// without NOTIFY every folder is polled each <see cref="MailboxWorkerOptions.PollInterval"/>;
/// on a dropped connection, reconnect with capped exponential backoff and jitter. Runs until cancelled, or until
/// the account cannot work without a person (credentials refused, settings wrong). Each sync's progress goes to
/// <c>progress</c>, when given.
/// </summary>
public sealed class MailboxWorker(
    long mailboxId,
    Func<CancellationToken, Task<IMailboxSession>> connect,
    MailboxSync sync,
    MailboxWorkerOptions options,
    TimeProvider time,
    Func<MailboxWorkerState, string?, Task> reportState,
    IProgress<SyncProgress>? progress = null)
{
    private const string Inbox = "INBOX";
    private readonly ReconnectLoop _loop = new(options, time, reportState);

    public Task RunAsync(CancellationToken cancellationToken)
    {
        // Each stored batch tells the loop that this connection is worth having, whatever ends it.
        var stored = new ProgressSignal(_loop.MadeProgress, progress);
        return _loop.RunAsync(async (live, ct) =>
        {
            await using var session = await connect(ct);
            await sync.RunAsync(mailboxId, session, stored, ct);
            await live();
            await FollowAsync(session, stored, ct);
        }, cancellationToken);
    }

    private async Task FollowAsync(IMailboxSession session, IProgress<SyncProgress> stored, CancellationToken cancellationToken)
    {
        var lastFull = time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            // With NOTIFY every folder's changes are announced; otherwise only INBOX's, and the rest is polled.
            var interval = session.WatchesAllFolders ? options.SweepInterval : options.PollInterval;
            var untilPoll = interval - (time.GetUtcNow() - lastFull);
            if (untilPoll <= TimeSpan.Zero)
            {
                await sync.RunAsync(mailboxId, session, stored, cancellationToken);
                lastFull = time.GetUtcNow();
                await reportState(MailboxWorkerState.Live, null);
                continue;
            }

            var wait = untilPoll < options.IdleRestart ? untilPoll : options.IdleRestart;
            var changed = await session.WaitForChangesAsync(Inbox, wait, cancellationToken);
            if (changed.Count > 0)
                await sync.RunAsync(mailboxId, session, stored, changed, cancellationToken);

            // In step again (changes synced, or a quiet wait confirmed nothing changed): the mailbox's "last synced"
            // is how far behind the server it can be.
            await reportState(MailboxWorkerState.Live, null);
        }
    }
}
