using Mailroom.Core.Connectors;

namespace Mailroom.Core.Sync.Ews;

/// <summary>
/// The whole life of one EWS mailbox, host-agnostic. With <paramref name="streamingMinutes"/>, a streaming subscription
/// to every folder is made before the first sync (so nothing that arrives during it is missed), and after each sync
/// the worker waits on GetStreamingEvents: an event syncs at once (new mail is stored within a second), a connection
/// Exchange closes after its minutes is opened again (which renews the subscription), and a subscription Exchange has
/// forgotten is made again. Where Exchange offers no streaming, or without it, the worker syncs every
/// <paramref name="pollInterval"/>. Failures are handled as for <see cref="MailboxWorker"/>: capped exponential backoff
/// with jitter, a stop on a refused login or wrong settings.
/// </summary>
public sealed class EwsWorker(
    long mailboxId,
    Func<CancellationToken, Task<IEwsSession>> connect,
    EwsSync sync,
    MailboxWorkerOptions options,
    TimeSpan pollInterval,
    int? streamingMinutes,
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
            var subscription = streamingMinutes is null ? null : await session.SubscribeStreamingAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                await sync.RunAsync(mailboxId, session, stored, ct);
                await live();
                if (subscription is null)
                {
                    await Task.Delay(pollInterval, time, ct);
                    continue;
                }
                try
                {
                    // An event, or the connection closed at its time: either way a sync (one request per folder when
                    // nothing changed) keeps the store right even if an event was lost.
                    await session.WaitForEventsAsync(subscription, streamingMinutes!.Value, ct);
                }
                catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.CommandFailed)
                {
                    subscription = await session.SubscribeStreamingAsync(ct);
                }
            }
        }, cancellationToken);
    }
}
