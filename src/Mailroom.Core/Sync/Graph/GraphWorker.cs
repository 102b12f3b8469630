using Mailroom.Core.Connectors;

namespace Mailroom.Core.Sync.Graph;

/// <summary>
/// The whole life of one Microsoft Graph mailbox, host-agnostic: sync (every folder's delta since its delta link, or a
/// reconcile), then wait <paramref name="pollInterval"/> and sync again (change notifications would need a public URL,
/// which <c>serve</c> does not have). The session (an HTTP client and the mailbox's token) lives as long as it works.
/// Failures are handled as for <see cref="MailboxWorker"/>: capped exponential backoff with jitter, a stop on a dead
/// grant or wrong settings.
/// </summary>
public sealed class GraphWorker(
    long mailboxId,
    Func<CancellationToken, Task<IGraphSession>> connect,
    GraphSync sync,
    MailboxWorkerOptions options,
    TimeSpan pollInterval,
    TimeProvider time,
    Func<MailboxWorkerState, string?, Task> reportState,
    IProgress<SyncProgress>? progress = null)
{
    private readonly ReconnectLoop _loop = new(options, time, reportState);

    public Task RunAsync(CancellationToken cancellationToken)
    {
        var stored = new ProgressSignal(_loop.MadeProgress, progress);
        return _loop.RunAsync(async (live, ct) =>
        {
            await using var session = await connect(ct);
            while (!ct.IsCancellationRequested)
            {
                await sync.RunAsync(mailboxId, session, stored, ct);
                await live();
                await Task.Delay(pollInterval, time, ct);
            }
        }, cancellationToken);
    }
}
