using Mailroom.Core.Connectors;

namespace Mailroom.Core.Sync;

/// <summary>
/// The whole life of one mailbox, host-agnostic: connect, sync everything, then follow INBOX with IDLE (syncing it
/// as soon as the server announces a change) and, where the server offers NOTIFY, every other folder the same way;
/// without NOTIFY every folder is polled each <see cref="MailboxWorkerOptions.PollInterval"/>;
/// on a dropped connection, reconnect with capped exponential backoff and jitter. Runs until cancelled, or until
/// the account cannot work without a person (credentials refused, settings wrong).
/// </summary>
public sealed class MailboxWorker(
    long mailboxId,
    Func<CancellationToken, Task<IMailboxSession>> connect,
    MailboxSync sync,
    MailboxWorkerOptions options,
    TimeProvider time,
    Func<MailboxWorkerState, string?, Task> reportState)
{
    private const string Inbox = "INBOX";
    private readonly Backoff _backoff = new(options.ReconnectInitial, options.ReconnectCap);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var session = await connect(cancellationToken);
                await sync.RunAsync(mailboxId, session, null, cancellationToken);
                await reportState(MailboxWorkerState.Live, null);
                failures = 0;
                await FollowAsync(session, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ConnectorException ex) when (ex.Kind is ConnectorErrorKind.AuthenticationFailed or ConnectorErrorKind.Misconfigured)
            {
                // Retrying cannot help: stop, and say why on the mailbox.
                await reportState(ex.Kind == ConnectorErrorKind.AuthenticationFailed ? MailboxWorkerState.AuthFailed : MailboxWorkerState.Failed, ex.Message);
                return;
            }
            catch (Exception ex)
            {
                await reportState(MailboxWorkerState.Reconnecting, ex.Message);
                var delay = _backoff.Delay(failures++, Random.Shared.NextDouble());
                try
                {
                    await Task.Delay(delay, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task FollowAsync(IMailboxSession session, CancellationToken cancellationToken)
    {
        var lastFull = time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            // With NOTIFY every folder's changes are announced; otherwise only INBOX's, and the rest is polled.
            var interval = session.WatchesAllFolders ? options.SweepInterval : options.PollInterval;
            var untilPoll = interval - (time.GetUtcNow() - lastFull);
            if (untilPoll <= TimeSpan.Zero)
            {
                await sync.RunAsync(mailboxId, session, null, cancellationToken);
                lastFull = time.GetUtcNow();
                await reportState(MailboxWorkerState.Live, null);
                continue;
            }

            var wait = untilPoll < options.IdleRestart ? untilPoll : options.IdleRestart;
            var changed = await session.WaitForChangesAsync(Inbox, wait, cancellationToken);
            if (changed.Count > 0)
                await sync.RunAsync(mailboxId, session, null, changed, cancellationToken);

            // In step again (changes synced, or a quiet wait confirmed nothing changed): the mailbox's "last synced"
            // is how far behind the server it can be.
            await reportState(MailboxWorkerState.Live, null);
        }
    }
}
