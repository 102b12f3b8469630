using Mailroom.Core.Connectors;

namespace Mailroom.Core.Sync.GmailApi;

/// <summary>
/// The whole life of one Gmail API mailbox, host-agnostic: sync (history since the checkpoint, or a reconcile), then
/// wait and sync again. Without push it waits <paramref name="pollInterval"/>; with push it keeps a users.watch on the
/// topic (renewed before it expires) and waits for a notification, or for <see cref="GmailPush.Silence"/> when none comes
/// (a push that stays silent is not trusted: the mailbox is polled). The session (an HTTP client and the mailbox's
/// token) lives as long as it works. Failures are handled as for <see cref="MailboxWorker"/>: capped exponential backoff
/// with jitter, a stop on a dead grant or wrong settings.
/// </summary>
/// <param name="push">Push settings and the mailbox's notification wait; null polls only.</param>
public sealed class GmailApiWorker(
    long mailboxId,
    Func<CancellationToken, Task<IGmailApiSession>> connect,
    GmailApiSync sync,
    MailboxWorkerOptions options,
    TimeSpan pollInterval,
    TimeProvider time,
    Func<MailboxWorkerState, string?, Task> reportState,
    GmailPush? push = null,
    IProgress<SyncProgress>? progress = null)
{
    private readonly ReconnectLoop _loop = new(options, time, reportState);

    public Task RunAsync(CancellationToken cancellationToken)
    {
        var stored = new ProgressSignal(_loop.MadeProgress, progress);
        return _loop.RunAsync(async (live, ct) =>
        {
            await using var session = await connect(ct);
            var watchExpires = DateTimeOffset.MinValue; // a new session watches again (users.watch is idempotent)
            while (!ct.IsCancellationRequested)
            {
                if (push is not null && watchExpires - time.GetUtcNow() < push.Renewal)
                    watchExpires = await session.WatchAsync(push.Topic, ct);
                await sync.RunAsync(mailboxId, session, stored, ct);
                await live();
                if (push is null)
                    await Task.Delay(pollInterval, time, ct);
                else
                    await push.WaitAsync(push.Silence, ct);
            }
        }, cancellationToken);
    }
}
