using Mailroom.Connectors.Ews;
using Mailroom.Connectors.GmailApi;
using Mailroom.Connectors.Graph;
using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Core.Sync.Ews;
using Mailroom.Core.Sync.GmailApi;
using Mailroom.Core.Sync.Graph;
using Mailroom.Core.Sync.Pop3;

namespace Mailroom.Server.Sync;

/// <summary>
/// Runs one mailbox's worker for its protocol (IMAP, POP3, the Gmail API, Graph, EWS) until cancelled, and records the
/// states it reports on the mailbox. The single-node <see cref="MailboxSupervisor"/> and a cluster node's mailbox
/// grain (Cluster/MailboxGrain) both host workers through this, so the two modes run the same worker code.
/// </summary>
internal sealed class MailboxWorkerHost(
    IAccountStore accounts,
    MailboxSyncRunner runner,
    MailboxSync sync,
    Pop3Sync pop3Sync,
    GmailApiSync gmailApiSync,
    GmailOptions gmailOptions,
    GmailPushSignals gmailPush,
    GraphSync graphSync,
    GraphOptions graphOptions,
    EwsSync ewsSync,
    EwsOptions ewsOptions,
    GraphNotifications graphNotifications,
    MailboxWorkerOptions workerOptions,
    SyncProgressBoard progress,
    TimeProvider time,
    ILogger<MailboxWorkerHost> logger)
{
    /// <returns>True when the worker crashed and should be started again.</returns>
    public async Task<bool> RunAsync(MailboxRecord mailbox, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["MailboxId"] = mailbox.Id, ["Mailbox"] = mailbox.Name });
        // POP3 has no push: its worker polls. Both share the reconnect and stop rules.
        // The first time the worker is in step, its first sync is complete: the mailbox's address can be learned.
        var addressKnown = mailbox.Settings.Address is not null;
        async Task Report(MailboxWorkerState state, string? error)
        {
            await ReportAsync(mailbox, state, error);
            if (state == MailboxWorkerState.Live && !addressKnown)
            {
                addressKnown = true;
                await runner.LearnAddressAsync(mailbox, cancellationToken);
            }
        }
        Func<CancellationToken, Task> run = mailbox.Protocol switch
        {
            MailboxProtocol.Imap => new MailboxWorker(
                mailbox.Id, ct => runner.ConnectAsync(mailbox, ct), sync, workerOptions, time, Report, progress.For(mailbox.Id)).RunAsync,
            MailboxProtocol.Pop3 => new Pop3Worker(
                mailbox.Id, ct => runner.ConnectPop3Async(mailbox, ct), pop3Sync, workerOptions, time, Report, progress.For(mailbox.Id)).RunAsync,
            MailboxProtocol.GmailApi => new GmailApiWorker(
                mailbox.Id, ct => runner.ConnectGmailApiAsync(mailbox, ct), gmailApiSync, workerOptions, gmailOptions.PollInterval, time, Report,
                gmailOptions.PushEnabled
                    ? new GmailPush(gmailOptions.PubSubTopic!, gmailOptions.WatchRenewBefore, gmailOptions.PushSilence,
                        (silence, ct) => gmailPush.WaitAsync(mailbox.Settings.Address ?? mailbox.Settings.UserName, silence, time, ct))
                    : null,
                progress.For(mailbox.Id)).RunAsync,
            // Change notifications need a public URL (Graph:NotificationUrl); without one, deltas are polled every Graph:PollInterval.
            MailboxProtocol.Graph => new GraphWorker(
                mailbox.Id, ct => runner.ConnectGraphAsync(mailbox, ct), graphSync, workerOptions, graphOptions.PollInterval, time, Report,
                progress.For(mailbox.Id),
                graphOptions.NotificationUrl is { } notify
                    ? new GraphPush(notify, graphOptions.SubscriptionLifetime, graphOptions.SubscriptionRenewBefore,
                        graphOptions.PushSilence, graphNotifications)
                    : null).RunAsync,
            MailboxProtocol.Ews => new EwsWorker(
                mailbox.Id, ct => runner.ConnectEwsAsync(mailbox, ct), ewsSync, workerOptions, ewsOptions.PollInterval,
                ewsOptions.Streaming ? ewsOptions.StreamingMinutes : null, time, Report,
                progress: progress.For(mailbox.Id)).RunAsync,
            MailboxProtocol.Archive => throw new InvalidOperationException($"Mailbox {mailbox.Name} is an import archive; no worker runs for it."),
        };
        try
        {
            await run(cancellationToken);
            return false;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A bug, not a server problem: record it, wait, and let the next reconcile start the worker again.
            Log.SyncCrashed(logger, mailbox.Name, ex);
            await Task.Delay(workerOptions.ReconnectCap, time, cancellationToken).ContinueWith(
                _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return true;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped: a cancelled read, or (cluster mode) a write refused because the lease moved meanwhile.
            return false;
        }
    }

    private async Task ReportAsync(MailboxRecord mailbox, MailboxWorkerState state, string? error)
    {
        var (stored, level) = state switch
        {
            MailboxWorkerState.Live => (MailboxState.Ok, LogLevel.Debug),
            MailboxWorkerState.AuthFailed => (MailboxState.AuthFailed, LogLevel.Warning),
            MailboxWorkerState.NeedsReauth => (MailboxState.NeedsReauth, LogLevel.Warning),
            _ => (MailboxState.Error, LogLevel.Warning),
        };
        // The outbox may have found the OAuth grant dead (needs_reauth) while this worker's older session still works:
        // that is no reason to call the mailbox ok again (the outbox would then ask the provider once more).
        if (state == MailboxWorkerState.Live)
        {
            var current = (await accounts.FindMailboxAsync(mailbox.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None))?.State;
            if (current == MailboxState.NeedsReauth)
                return;
            // Live is reported after every connection; only a change is worth a line (new or failing → ok).
            if (current is { } was && was != MailboxState.Ok)
                Log.WorkerOk(logger, mailbox.Name, EnumWords.Of(was));
        }
        if (level == LogLevel.Warning)
            Log.WorkerState(logger, mailbox.Name, EnumWords.Of(stored), error ?? "");
        await accounts.SetMailboxStateAsync(mailbox.Id, stored, error, time.GetUtcNow(), CancellationToken.None);
    }
}
