using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Core.Sync.GmailApi;
using Mailroom.Core.Sync.Pop3;

namespace Mailroom.Server.Sync;

/// <summary>
/// Runs one <see cref="MailboxWorker"/> (for POP3, a <see cref="Pop3Worker"/>) per mailbox for <c>mailroom serve</c>:
/// starts workers for new mailboxes, stops those of removed ones, and restarts a worker that ended unexpectedly, with backoff. Workers that stopped
/// because the account needs a person (refused login) stay stopped until the account changes; paused mailboxes have
/// no worker. Requests from the API (<see cref="MailboxSignals"/>) are handled between reconciles.
/// </summary>
internal sealed class MailboxSupervisor(
    IAccountStore accounts,
    MailboxSyncRunner runner,
    MailboxSync sync,
    Pop3Sync pop3Sync,
    GmailApiSync gmailApiSync,
    Mailroom.Connectors.GmailApi.GmailOptions gmailOptions,
    Mailroom.Connectors.GmailApi.GmailPushSignals gmailPush,
    Mailroom.Core.Sync.Graph.GraphSync graphSync,
    Mailroom.Connectors.Graph.GraphOptions graphOptions,
    Mailroom.Core.Sync.Ews.EwsSync ewsSync,
    Mailroom.Connectors.Ews.EwsOptions ewsOptions,
    Mailroom.Core.Sync.Graph.GraphNotifications graphNotifications,
    MailboxWorkerOptions workerOptions,
    MailboxSignals signals,
    SyncProgressBoard progress,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<MailboxSupervisor> logger) : BackgroundService
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(5);
    private readonly Dictionary<long, (Task<bool> Task, CancellationTokenSource Stop)> _workers = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Workers start once the server listens: Graph validates the notification URL while a subscription is made.
            var started = new TaskCompletionSource();
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
                await started.Task;
            var waiting = new List<TaskCompletionSource>();
            while (!stoppingToken.IsCancellationRequested)
            {
                await ReconcileAsync(stoppingToken);
                foreach (var done in waiting)
                    done.TrySetResult();
                waiting.Clear();
                await WaitForSignalsAsync(waiting, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var (_, (_, stop)) in _workers)
                await stop.CancelAsync();
            await Task.WhenAll(_workers.Values.Select(w => w.Task));
        }
    }

    /// <summary>Waits for the next reconcile time or a signal; restarts the workers asked to sync now.</summary>
    private async Task WaitForSignalsAsync(List<TaskCompletionSource> waiting, CancellationToken stoppingToken)
    {
        using var refresh = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        refresh.CancelAfter(Refresh);
        try
        {
            await signals.Reader.WaitToReadAsync(refresh.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return; // time for the periodic reconcile
        }

        while (signals.Reader.TryRead(out var signal))
        {
            if (signal.Done is { } done)
                waiting.Add(done);
            if (signal.SyncNow)
                await StopWorkerAsync(signal.MailboxId); // the reconcile that follows starts it again, with a full sync
        }
    }

    private async Task StopWorkerAsync(long id)
    {
        if (!_workers.Remove(id, out var worker))
            return;
        await worker.Stop.CancelAsync();
        await worker.Task.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        worker.Stop.Dispose();
    }

    private async Task ReconcileAsync(CancellationToken stoppingToken)
    {
        // Archive mailboxes (mailroom import) have no server to follow; paused ones wait to be resumed.
        var mailboxes = (await accounts.ListMailboxesAsync(stoppingToken)).Where(m => MailboxSyncRunner.HasServer(m) && !m.Paused).ToDictionary(m => m.Id);
        // Wait for the stopped workers to end: a mailbox about to be removed must have no worker still writing to it.
        foreach (var id in _workers.Keys.Where(id => !mailboxes.ContainsKey(id)).ToList())
            await StopWorkerAsync(id);

        foreach (var mailbox in mailboxes.Values)
        {
            if (_workers.TryGetValue(mailbox.Id, out var known))
            {
                // Running, or stopped by itself (refused login, revoked grant, settings that cannot work): leave it,
                // unless a person has since authorized it again (the state is "new" once more). A crashed worker is
                // started again.
                var reauthorized = mailbox.State == MailboxState.New;
                if (!known.Task.IsCompleted || (!known.Task.Result && !reauthorized))
                    continue;
                known.Stop.Dispose();
            }
            else if (mailbox.State.NeedsPerson())
            {
                continue; // needs a person before it is tried again
            }

            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _workers[mailbox.Id] = (RunWorkerAsync(mailbox, stop.Token), stop);
        }
    }

    /// <returns>True when the worker crashed and should be started again.</returns>
    private async Task<bool> RunWorkerAsync(MailboxRecord mailbox, CancellationToken cancellationToken)
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
            MailboxProtocol.Graph => new Mailroom.Core.Sync.Graph.GraphWorker(
                mailbox.Id, ct => runner.ConnectGraphAsync(mailbox, ct), graphSync, workerOptions, graphOptions.PollInterval, time, Report,
                progress.For(mailbox.Id),
                graphOptions.NotificationUrl is { } notify
                    ? new Mailroom.Core.Sync.Graph.GraphPush(notify, graphOptions.SubscriptionLifetime, graphOptions.SubscriptionRenewBefore,
                        graphOptions.PushSilence, graphNotifications)
                    : null).RunAsync,
            MailboxProtocol.Ews => new Mailroom.Core.Sync.Ews.EwsWorker(
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
        catch (OperationCanceledException)
        {
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
