using Mailroom.Core.Connectors;

namespace Mailroom.Core.Sync.Pop3;

/// <summary>
/// The whole life of one POP3 mailbox, host-agnostic. POP3 has no push, so the mailbox is polled: connect, sync,
/// disconnect (a POP3 session holds the maildrop, and servers end idle ones), then wait
/// <see cref="MailboxWorkerOptions.PollInterval"/>. Failures are handled as for <see cref="MailboxWorker"/>: reconnect
/// with capped exponential backoff and jitter; stop on refused credentials or settings that cannot work.
/// </summary>
public sealed class Pop3Worker(
    long mailboxId,
    Func<CancellationToken, Task<IPop3Session>> connect,
    Pop3Sync sync,
    MailboxWorkerOptions options,
    TimeProvider time,
    Func<MailboxWorkerState, string?, Task> reportState,
    IProgress<SyncProgress>? progress = null)
{
    private readonly ReconnectLoop _loop = new(options, time, reportState);

    public Task RunAsync(CancellationToken cancellationToken)
    {
        // A connection that stored messages resets the backoff, as for IMAP: a link cut over and over still finishes.
        var stored = new ProgressSignal(_loop.MadeProgress, progress);
        return _loop.RunAsync(async (live, ct) =>
        {
            while (!ct.IsCancellationRequested)
            {
                await using (var session = await connect(ct))
                    await sync.RunAsync(mailboxId, session, stored, ct);
                await live();
                await Task.Delay(options.PollInterval, time, ct);
            }
        }, cancellationToken);
    }
}
