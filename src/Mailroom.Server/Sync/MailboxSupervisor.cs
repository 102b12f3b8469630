using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Core.Sync.Pop3;

namespace Mailroom.Server.Sync;

/// <summary>
/// Runs one <see cref="MailboxWorker"/> (for POP3, a <see cref="Pop3Worker"/>) per mailbox for <c>mailroom serve</c>:
/// starts workers for new mailboxes, stops those of removed ones, and restarts a worker that ended unexpectedly, with backoff. Workers that stopped
/// because the account needs a person (refused login) stay stopped until the account changes; paused mailboxes have
/// no worker. Requests from the API (<see cref="MailboxSignals"/>) are handled between reconciles.
/// </summary>
internal sealed class MailboxSupervisor(IAccountStore accounts, MailboxWorkerHost workers, MailboxSignals signals, IHostApplicationLifetime lifetime)
    : BackgroundService
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
            _workers[mailbox.Id] = (workers.RunAsync(mailbox, stop.Token), stop);
        }
    }
}
