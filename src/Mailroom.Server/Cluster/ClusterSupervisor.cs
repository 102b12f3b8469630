using Mailroom.Server.Sync;
using Mailroom.Storage.Cluster;

namespace Mailroom.Server.Cluster;

/// <summary>
/// Cluster mode's counterpart of <see cref="MailboxSupervisor"/>, on every node: compares the mailboxes with the live
/// leases and asks the grains to act. A mailbox that should run and has no live lease is activated (Orleans places
/// it; the grain takes the lease); a paused or removed one that still has a lease is stopped wherever it runs. Requests
/// from this node's API (<see cref="MailboxSignals"/>: pause, resume, remove, sync now) go to the owning grain at once,
/// so an account change made through any node reaches the mailbox's owner. Every <see cref="ClusterOptions.RebalanceInterval"/>
/// the node takes over a few mailboxes from the busiest node when it runs fewer than its share (<see cref="ClusterBalance"/>).
/// </summary>
internal sealed class ClusterSupervisor(
    MailboxLeaseStore leases,
    IGrainFactory grains,
    ClusterNode node,
    ClusterOptions options,
    MailboxSignals signals,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ClusterSupervisor> logger) : BackgroundService
{
    // Grain calls made at once by one reconcile: a node that starts next to 1,000 idle mailboxes does not queue them all.
    private const int Parallel = 32;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Hosted services start before the silo has joined: grain calls wait for the host to have started.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);
        var nextRebalance = time.GetUtcNow() + options.RebalanceInterval;
        var waiting = new List<TaskCompletionSource>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReconcileAsync(stoppingToken);
                if (time.GetUtcNow() >= nextRebalance)
                {
                    await RebalanceAsync(stoppingToken);
                    nextRebalance = time.GetUtcNow() + options.RebalanceInterval;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                Log.ClusterReconcileFailed(logger, ex.Message);
            }
            foreach (var done in waiting)
                done.TrySetResult();
            waiting.Clear();
            try
            {
                await WaitForSignalsAsync(waiting, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    private async Task WaitForSignalsAsync(List<TaskCompletionSource> waiting, CancellationToken stoppingToken)
    {
        using var refresh = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        refresh.CancelAfter(options.ReconcileInterval);
        try
        {
            await signals.Reader.WaitToReadAsync(refresh.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return;
        }
        while (signals.Reader.TryRead(out var signal))
        {
            if (signal.Done is { } done)
                waiting.Add(done);
            if (signal.SyncNow)
                await CallAsync(signal.MailboxId, g => g.SyncNowAsync());
        }
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        // A mailbox waiting for a person with no worker anywhere is not tried again until the account changes (as in
        // single-node mode); one authorized again ("new") starts (MailboxLeaseStore.ListToReconcileAsync).
        var (start, stop) = await leases.ListToReconcileAsync(cancellationToken);
        var calls = stop.Select(id => (Id: id, Call: (Func<IMailboxGrain, Task>)(g => g.StopAsync())))
            .Concat(start.Select(id => (Id: id, Call: (Func<IMailboxGrain, Task>)(g => g.EnsureRunningAsync()))));
        await System.Threading.Tasks.Parallel.ForEachAsync(
            calls, new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken },
            async (call, _) => await CallAsync(call.Id, call.Call));
    }

    private async Task RebalanceAsync(CancellationToken cancellationToken)
    {
        var members = node.ActiveMembers();
        var live = await leases.ListLiveAsync(cancellationToken);
        foreach (var id in ClusterBalance.ToTakeOver(node.Owner, members.Select(m => m.Owner).ToList(), live, options.RebalanceBatch))
            await CallAsync(id, g => g.MoveToAsync(node.Owner));
    }

    private async Task CallAsync(long mailboxId, Func<IMailboxGrain, Task> call)
    {
        try
        {
            await call(grains.GetGrain<IMailboxGrain>(mailboxId));
        }
        catch (Exception ex)
        {
            // Membership is changing or the owner is busy: the next reconcile asks again.
            Log.GrainCallFailed(logger, mailboxId, ex.Message);
        }
    }
}
