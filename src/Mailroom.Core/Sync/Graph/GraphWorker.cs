using Mailroom.Core.Connectors;

namespace Mailroom.Core.Sync.Graph;

/// <summary>
/// The whole life of one Microsoft Graph mailbox, host-agnostic: sync (every folder's delta since its delta link, or a
/// reconcile), then wait and sync again. Without push it waits <paramref name="pollInterval"/>. With push it keeps a
/// change-notification subscription (<see cref="GraphSubscriptionKeeper"/>) and waits for a notification (or a
/// lifecycle event), at most <see cref="GraphPush.Silence"/> or until the subscription needs renewing: a notification
/// only wakes the worker, whose delta is the only source of data. The session (an HTTP client and the mailbox's token)
/// lives as long as it works. Failures are handled as for <see cref="MailboxWorker"/>: capped exponential backoff with
/// jitter, a stop on a dead grant or wrong settings.
/// </summary>
/// <param name="push">Change notifications; null polls only.</param>
public sealed class GraphWorker(
    long mailboxId,
    Func<CancellationToken, Task<IGraphSession>> connect,
    GraphSync sync,
    MailboxWorkerOptions options,
    TimeSpan pollInterval,
    TimeProvider time,
    Func<MailboxWorkerState, string?, Task> reportState,
    IProgress<SyncProgress>? progress = null,
    GraphPush? push = null)
{
    private readonly ReconnectLoop _loop = new(options, time, reportState);

    public Task RunAsync(CancellationToken cancellationToken)
    {
        var stored = new ProgressSignal(_loop.MadeProgress, progress);
        return _loop.RunAsync(async (live, ct) =>
        {
            await using var session = await connect(ct);
            var keeper = push is null ? null : new GraphSubscriptionKeeper(mailboxId, push, time);
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    // The subscription first: a change made while the delta runs is then notified, not missed.
                    var subscribed = keeper is not null && await keeper.EnsureAsync(session, ct);
                    await sync.RunAsync(mailboxId, session, stored, ct);
                    await live();
                    if (!subscribed)
                        await Task.Delay(pollInterval, time, ct);
                    else
                        await keeper!.HandleAsync(await push!.Notifications.WaitAsync(mailboxId, keeper.Wait, time, ct), session, ct);
                }
            }
            finally
            {
                if (keeper is not null)
                    await keeper.DeleteAsync(session);
            }
        }, cancellationToken);
    }
}
