using Mailroom.Storage.Cluster;

namespace Mailroom.Server.Cluster;

/// <summary>
/// Which mailboxes a node takes over to even out the cluster: only when it runs fewer than its fair share (the
/// mailboxes over the nodes, rounded down), only from the node that runs the most, never so many that that node falls
/// below the share (so no move makes another one necessary: rounds settle), and at most a batch per round, so that a
/// joining node fills up gradually and each move is one mailbox whose old session has closed before the new one opens.
/// </summary>
internal static class ClusterBalance
{
    public static IReadOnlyList<long> ToTakeOver(string self, IReadOnlyList<string> activeNodes, IReadOnlyList<LeaseHolder> live, int batch)
    {
        if (activeNodes.Count < 2 || !activeNodes.Contains(self))
            return [];
        var counts = activeNodes.ToDictionary(n => n, _ => 0);
        foreach (var lease in live)
        {
            if (counts.TryGetValue(lease.Owner, out var count))
                counts[lease.Owner] = count + 1;
        }
        var total = counts.Values.Sum();
        var floor = total / activeNodes.Count;
        var (busiest, most) = counts.Where(c => c.Key != self).OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => (c.Key, c.Value)).First();
        var want = Math.Min(floor - counts[self], most - floor);
        if (want <= 0)
            return [];
        return [.. live.Where(l => l.Owner == busiest).OrderBy(l => l.MailboxId).Take(Math.Min(want, batch)).Select(l => l.MailboxId)];
    }
}
