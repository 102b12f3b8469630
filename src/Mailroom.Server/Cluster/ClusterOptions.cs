using System.Net;

namespace Mailroom.Server.Cluster;

/// <summary>
/// Cluster mode (docs/cluster.md): section <c>Cluster</c>. Off by default; then <c>serve</c> runs every mailbox in
/// this one process as before.
/// </summary>
internal sealed class ClusterOptions
{
    public bool Enabled { get; set; }

    /// <summary>The port the nodes talk to each other on (Orleans silo-to-silo).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The Orleans gateway port (clients of the cluster; Mailroom's nodes are silos and do not need it).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The IP address the other nodes reach this one at; by default the host's first non-loopback address.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Nodes with the same id over the same database form one cluster.</summary>
    public string ClusterId { get; set; } = "mailroom";

    /// <summary>How long a mailbox lease lasts unless renewed: the longest a lost node's mailbox waits when no node has declared it dead.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a node renews all its leases (one statement).</summary>
    public TimeSpan LeaseRenewal { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>How often each node looks for mailboxes that nobody runs (and for paused ones that still run).</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a node compares its share of the mailboxes with the others' and takes some over.</summary>
    public TimeSpan RebalanceInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>At most this many mailboxes move to a node per rebalance round.</summary>
    public int RebalanceBatch { get; set; } = 5;

    /// <summary>Membership probes: a node that misses <see cref="MissedProbesLimit"/> probes of this timeout is suspected.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public int MissedProbesLimit { get; set; } = 2;

    public void Validate(Storage.StorageProvider provider)
    {
        if (!Enabled)
            return;
        if (provider != Storage.StorageProvider.Postgres)
            throw new InvalidOperationException("Cluster:Enabled needs PostgreSQL: set Storage:Provider=postgres and Storage:ConnectionString (all nodes share one database).");
        if (SiloPort is < 1 or > 65535 || GatewayPort is < 1 or > 65535 || SiloPort == GatewayPort)
            throw new InvalidOperationException($"Cluster:SiloPort ({SiloPort}) and Cluster:GatewayPort ({GatewayPort}) must be two different ports between 1 and 65535.");
        if (AdvertisedAddress is { Length: > 0 } address && !IPAddress.TryParse(address, out _))
            throw new InvalidOperationException($"Cluster:AdvertisedAddress must be an IP address (was '{address}').");
        if (LeaseDuration < TimeSpan.FromSeconds(3) || LeaseRenewal <= TimeSpan.Zero || LeaseRenewal * 2 >= LeaseDuration)
            throw new InvalidOperationException("Cluster:LeaseDuration must be at least 3 s and more than twice Cluster:LeaseRenewal.");
        if (ReconcileInterval <= TimeSpan.Zero || RebalanceInterval <= TimeSpan.Zero || RebalanceBatch < 1)
            throw new InvalidOperationException("Cluster:ReconcileInterval and Cluster:RebalanceInterval must be positive, Cluster:RebalanceBatch at least 1.");
        if (ProbeTimeout <= TimeSpan.Zero || MissedProbesLimit < 1)
            throw new InvalidOperationException("Cluster:ProbeTimeout must be positive and Cluster:MissedProbesLimit at least 1.");
    }
}
