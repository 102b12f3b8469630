using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;

namespace Mailroom.Server.Sync;

/// <summary>
/// Syncs every mailbox, then waits <see cref="PeriodicSyncOptions.Interval"/>, until the host stops.
/// (Live sync with IDLE replaces this with one worker per mailbox.) A failing mailbox never stops the others.
/// </summary>
internal sealed class PeriodicSyncService(
    IAccountStore accounts,
    MailboxSyncRunner runner,
    PeriodicSyncOptions options,
    TimeProvider time,
    ILogger<PeriodicSyncService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var mailbox in await accounts.ListMailboxesAsync(stoppingToken))
            {
                if (mailbox.State == "auth_failed")
                    continue;
                try
                {
                    await runner.RunAsync(mailbox, progress: null, stoppingToken);
                }
                catch (ConnectorException)
                {
                    // Recorded on the mailbox and logged by the runner; the next round tries again.
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.SyncCrashed(logger, mailbox.Name, ex);
                }
            }

            try
            {
                await Task.Delay(options.Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
