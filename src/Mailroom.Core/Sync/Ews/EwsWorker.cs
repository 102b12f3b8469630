using Mailroom.Core.Connectors;

namespace Mailroom.Core.Sync.Ews;

/// <summary>
/// The whole life of one EWS mailbox, host-agnostic: sync (the folder tree, then every folder from its SyncState), then
/// wait <paramref name="pollInterval"/> and sync again. The session (an HTTP client with the mailbox's credentials,
/// its NTLM-authenticated connections pooled) lives as long as it works. Failures are handled as for
/// <see cref="MailboxWorker"/>: capped exponential backoff with jitter, a stop on a refused login or wrong settings.
/// </summary>
public sealed class EwsWorker(
    long mailboxId,
    Func<CancellationToken, Task<IEwsSession>> connect,
    EwsSync sync,
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
