namespace Mailroom.Storage.Model;

/// <summary>
/// Which cluster node may run a mailbox's worker (cluster mode, docs/cluster.md). The token grows by one at every
/// change of owner: a write checks it (<see cref="Cluster.MailboxFence"/>), so a node that lost the lease cannot
/// write for the mailbox any more, whatever it still believes.
/// </summary>
internal sealed class MailboxLeaseEntity
{
    public long MailboxId { get; set; }

    /// <summary>The node (its Orleans silo address, unique per process start).</summary>
    public required string Owner { get; set; }

    public long Token { get; set; }

    /// <summary>Database time after which another node may take the lease.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}
