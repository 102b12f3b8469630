using System.Security.Claims;
using Mailroom.Core.Storage;
using Mailroom.Server.Cluster;
using Mailroom.Server.Sync;
using Mailroom.Storage.Cluster;

namespace Mailroom.Server.Api.V1;

/// <summary>
/// <c>GET /v1/cluster</c>: the nodes that are up and how many of the organization's mailboxes each runs (docs/cluster.md).
/// Without cluster mode, this one process runs them all.
/// </summary>
internal static class ClusterApi
{
    public static RouteGroupBuilder MapCluster(this RouteGroupBuilder v1)
    {
        v1.MapGet("/cluster", GetAsync).WithTags("Cluster").WithName("GetCluster")
            .WithSummary("The nodes that are up, and how many of this organization's mailboxes each one runs; unowned: mailboxes that should run and have no node at the moment.");
        return v1;
    }

    private static async Task<ClusterJson> GetAsync(
        ClaimsPrincipal user, IAccountStore accounts, ClusterOptions options, IServiceProvider services, CancellationToken cancellationToken)
    {
        var organization = user.OrganizationId();
        var mailboxes = (await accounts.ListMailboxesAsync(cancellationToken))
            .Where(m => m.OrganizationId == organization && MailboxSyncRunner.HasServer(m) && !m.Paused)
            .Select(m => m.Id).ToHashSet();
        if (!options.Enabled)
            return new ClusterJson(false, null, [new ClusterNodeJson("local", null, mailboxes.Count)], 0);

        var node = services.GetRequiredService<ClusterNode>();
        var live = (await services.GetRequiredService<MailboxLeaseStore>().ListLiveAsync(cancellationToken))
            .Where(l => mailboxes.Contains(l.MailboxId)).ToList();
        var counts = live.GroupBy(l => l.Owner).ToDictionary(g => g.Key, g => g.Count());
        var nodes = node.ActiveMembers()
            .OrderBy(m => m.Owner, StringComparer.Ordinal)
            .Select(m => new ClusterNodeJson(m.Owner, m.Address.Endpoint.ToString(), counts.GetValueOrDefault(m.Owner)))
            .ToList();
        return new ClusterJson(true, node.Owner, nodes, mailboxes.Count - live.Count);
    }
}

/// <summary>The cluster as <c>GET /v1/cluster</c> shows it; <c>self</c> is the node that answered.</summary>
internal sealed record ClusterJson(bool Enabled, string? Self, IReadOnlyList<ClusterNodeJson> Nodes, int Unowned);

/// <summary>One node: its name in the lease table (silo address and generation), its silo endpoint, its mailbox count.</summary>
internal sealed record ClusterNodeJson(string Node, string? Endpoint, int Mailboxes);
