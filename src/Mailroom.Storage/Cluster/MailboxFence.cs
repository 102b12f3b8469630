namespace Mailroom.Storage.Cluster;

/// <summary>
/// The lease a mailbox's worker runs under in cluster mode, carried with the worker's async flow: every
/// <see cref="Sql.StoreTransaction"/> begun on that flow first checks, inside the transaction and with the lease row
/// locked FOR KEY SHARE, that the lease's token is still this one. A node that lost the lease (its renewals failed, the
/// database took a while, a new owner took over) therefore cannot write for the mailbox, whatever it still believes:
/// the classic fencing token. The worker code itself stays the same in both modes, which is why this rides on the
/// execution context instead of a parameter through every store method.
/// </summary>
public static class MailboxFence
{
    private static readonly AsyncLocal<MailboxLease?> CurrentLease = new();

    /// <summary>The lease of the flow that runs now; null outside a cluster worker.</summary>
    public static MailboxLease? Current => CurrentLease.Value;

    /// <summary>Runs <paramref name="work"/> (and everything it starts) under <paramref name="lease"/>.</summary>
    public static async Task RunAsync(MailboxLease lease, Func<Task> work)
    {
        CurrentLease.Value = lease;
        try
        {
            await work();
        }
        finally
        {
            CurrentLease.Value = null;
        }
    }
}
