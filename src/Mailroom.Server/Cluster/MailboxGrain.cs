using System.Globalization;
using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;
using Mailroom.Server.Sync;
using Mailroom.Storage.Cluster;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Mailroom.Server.Cluster;

/// <summary>
/// A mailbox in cluster mode. Orleans keeps one activation per mailbox across the cluster; since its directory can
/// briefly disagree while membership changes, the activation also takes the mailbox's lease before it connects, and
/// stands down when another node holds it. The worker is the same as in single-node mode (<see cref="MailboxWorkerHost"/>),
/// run off the grain's scheduler under the lease's fence, so that a write after the lease moved is refused. A reminder
/// brings the activation back on another node after its node is lost, even if no other node asks for it.
/// </summary>
[KeepAlive]
[RandomPlacement]
internal sealed class MailboxGrain(
    IAccountStore accounts,
    MailboxWorkerHost host,
    MailboxLeaseStore leases,
    LeaseKeeper keeper,
    ClusterNode node,
    ClusterOptions options,
    ILogger<MailboxGrain> logger) : Grain, IMailboxGrain, IRemindable
{
    private const string ReminderName = "keep-running";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private Running? _running;
    private bool _reminderSet;

    private long Id => this.GetPrimaryKeyLong();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => EnsureRunningAsync();

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => StopWorkerAsync();

    public Task ReceiveReminder(string reminderName, TickStatus status) => EnsureRunningAsync();

    public async Task EnsureRunningAsync()
    {
        if (_running is { } running && !running.Worker.IsCompleted && !running.Lease.IsLost)
            return;
        var mailbox = await accounts.FindMailboxAsync(Id.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
        if (mailbox is null || mailbox.Paused || !MailboxSyncRunner.HasServer(mailbox))
        {
            await StopAsync();
            return;
        }
        if (_running is { } ended)
        {
            // The worker stopped by itself because the account needs a person (refused login, revoked grant): it keeps
            // the lease, so no other node tries, until a person authorizes it again (the state is "new" once more).
            // A crashed worker, or one whose lease was lost, is started again (under a new lease).
            var needsPerson = ended.Worker.IsCompletedSuccessfully && !ended.Worker.Result && !ended.Lease.IsLost;
            if (needsPerson && mailbox.State != MailboxState.New)
                return;
            await StopWorkerAsync();
        }
        else if (mailbox.State.NeedsPerson())
        {
            return;
        }

        if (!_reminderSet)
        {
            await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
            _reminderSet = true;
        }
        var token = await leases.TryAcquireAsync(Id, node.Owner, options.LeaseDuration, node.DeadOwners(), CancellationToken.None);
        if (token is null)
        {
            Log.StandingDown(logger, mailbox.Name);
            return;
        }

        var stop = new CancellationTokenSource();
        var lease = new MailboxLease(Id, token.Value, stop.Cancel);
        keeper.Add(lease);
        // Off the grain's scheduler: the worker runs for as long as the node owns the mailbox; the grain stays free to answer.
        var worker = Task.Run(async () =>
        {
            var crashed = false;
            await MailboxFence.RunAsync(lease, async () => crashed = await host.RunAsync(mailbox, stop.Token));
            return crashed;
        });
        _running = new Running(worker, stop, lease);
        Log.MailboxOwned(logger, mailbox.Name, token.Value);
    }

    public async Task SyncNowAsync()
    {
        await StopWorkerAsync();
        await EnsureRunningAsync();
    }

    public async Task StopAsync()
    {
        await StopWorkerAsync();
        if (await this.GetReminder(ReminderName) is { } reminder)
            await this.UnregisterReminder(reminder);
        _reminderSet = false;
        DeactivateOnIdle();
    }

    public async Task MoveToAsync(string target)
    {
        // The old session closes before the activation moves: the new owner connects only after this one let go.
        await StopWorkerAsync();
        RequestContext.Set(IPlacementDirector.PlacementHintKey, SiloAddress.FromParsableString(target));
        this.MigrateOnIdle();
    }

    private async Task StopWorkerAsync()
    {
        if (_running is not { } running)
            return;
        _running = null;
        await running.Stop.CancelAsync();
        await running.Worker.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        keeper.Remove(running.Lease);
        if (!running.Lease.IsLost)
        {
            try
            {
                await leases.ReleaseAsync(Id, running.Lease.Token, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // It expires by itself; the next owner waits for that.
                Log.LeaseReleaseFailed(logger, Id, ex.Message);
            }
        }
        running.Stop.Dispose();
    }

    /// <summary>The worker this activation runs, its stop switch and its lease.</summary>
    private sealed record Running(Task<bool> Worker, CancellationTokenSource Stop, MailboxLease Lease);
}
