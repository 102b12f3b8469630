using Orleans.Runtime;

namespace Mailroom.Server.Cluster;

/// <summary>This node's name in the lease table, and what the cluster's membership says of the others.</summary>
internal sealed class ClusterNode(ILocalSiloDetails local, IClusterMembershipService membership)
{
    /// <summary>The silo address with its generation: unique per process start, so a restarted node is a new owner.</summary>
    public string Owner { get; } = local.SiloAddress.ToParsableString();

    public SiloAddress Address => local.SiloAddress;

    /// <summary>Nodes the cluster has declared dead: their leases may be taken before they expire.</summary>
    public IReadOnlyCollection<string> DeadOwners() =>
        [.. membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress.ToParsableString())];

    /// <summary>The nodes that are up now, by their owner name.</summary>
    public IReadOnlyList<ClusterMember> ActiveMembers() =>
        [.. membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => new ClusterMember(m.SiloAddress.ToParsableString(), m.SiloAddress, m.Name))];
}

/// <summary>A node that is up.</summary>
internal sealed record ClusterMember(string Owner, SiloAddress Address, string Name);
