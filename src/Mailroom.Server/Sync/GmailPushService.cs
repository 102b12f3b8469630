using Mailroom.Connectors.GmailApi;
using Mailroom.Core.Sync;

namespace Mailroom.Server.Sync;

/// <summary>
/// Runs only with Gmail push configured (<c>Gmail:PubSubTopic</c>, <c>Gmail:PubSubSubscription</c>): pulls the subscription in a
/// loop and wakes the worker of each mailbox a notification names. A failing pull waits with capped backoff and jitter;
/// meanwhile the workers poll after <c>Gmail:PushSilence</c>, so nothing is missed, only later.
/// </summary>
internal sealed class GmailPushService(
    GmailPushSubscriber subscriber, GmailPushSignals signals, TimeProvider time, ILogger<GmailPushService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var (address, historyId) in await subscriber.PullAsync(stoppingToken))
                {
                    Log.GmailPushReceived(logger, address, historyId);
                    signals.Notify(address);
                }
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.GmailPushFailed(logger, ex.Message);
                try
                {
                    await Task.Delay(backoff.Delay(failures++, Random.Shared.NextDouble()), time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
