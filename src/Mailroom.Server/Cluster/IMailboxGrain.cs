namespace Mailroom.Server.Cluster;

/// <summary>
/// One mailbox in cluster mode, keyed by the mailbox's id. Its activation owns the mailbox's worker, under a lease
/// with a fencing token (<see cref="Storage.Cluster.MailboxLeaseStore"/>).
/// </summary>
public interface IMailboxGrain : IGrainWithIntegerKey
{
    /// <summary>Runs the worker unless it runs, the mailbox is paused, removed or waits for a person, or another node holds the lease.</summary>
    Task EnsureRunningAsync();

    /// <summary>Restarts the worker, which begins with a full sync.</summary>
    Task SyncNowAsync();

    /// <summary>Stops the worker and gives the lease and the activation up (the mailbox was paused or is being removed).</summary>
    Task StopAsync();

    /// <summary>
    /// Rebalancing: stops the worker, gives the lease up, and moves the activation to the node at
    /// <paramref name="target"/> (a silo address), which starts the worker again. The old session is closed first.
    /// </summary>
    Task MoveToAsync(string target);
}
