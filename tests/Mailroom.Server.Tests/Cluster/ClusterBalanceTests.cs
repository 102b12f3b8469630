using Mailroom.Server.Cluster;
using Mailroom.Storage.Cluster;

namespace Mailroom.Server.Tests.Cluster;

public sealed class ClusterBalanceTests
{
    private static List<LeaseHolder> Leases(params (string Owner, int Count)[] owners)
    {
        var id = 0L;
        return [.. owners.SelectMany(o => Enumerable.Range(0, o.Count).Select(_ => new LeaseHolder(++id, o.Owner, 1)))];
    }

    [Fact]
    public void A_joining_node_takes_a_batch_from_the_busiest_node_per_round()
    {
        var live = Leases(("a", 30), ("b", 30));
        var take = ClusterBalance.ToTakeOver("c", ["a", "b", "c"], live, batch: 5);
        Assert.Equal(5, take.Count);
        Assert.All(take, id => Assert.Equal("a", live.Single(l => l.MailboxId == id).Owner));
    }

    [Fact]
    public void Rounds_converge_to_an_even_spread_and_then_move_nothing()
    {
        var live = Leases(("a", 31), ("b", 29));
        var rounds = 0;
        while (ClusterBalance.ToTakeOver("c", ["a", "b", "c"], live, batch: 5) is { Count: > 0 } take)
        {
            live = [.. live.Select(l => take.Contains(l.MailboxId) ? l with { Owner = "c" } : l)];
            Assert.True(++rounds < 10, "never settles");
        }
        var counts = live.GroupBy(l => l.Owner).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(20, counts["c"]);
        Assert.InRange(counts["a"], 20, 21);
        Assert.InRange(counts["b"], 19, 20);
        Assert.Equal(5, rounds);
    }

    [Theory]
    [InlineData(20, 20, 20)] // even
    [InlineData(21, 20, 20)] // 61 over 3: one node has one more, and moving it would only move the imbalance
    public void A_node_with_its_share_takes_nothing(int a, int b, int c)
    {
        Assert.Empty(ClusterBalance.ToTakeOver("c", ["a", "b", "c"], Leases(("a", a), ("b", b), ("c", c)), batch: 5));
    }

    [Fact]
    public void A_node_below_its_share_takes_from_a_node_above_it()
    {
        var live = Leases(("a", 21), ("b", 21), ("c", 19));
        Assert.Single(ClusterBalance.ToTakeOver("c", ["a", "b", "c"], live, batch: 5));
    }

    [Fact]
    public void Leases_of_nodes_that_are_not_up_count_for_nobody_and_a_lone_node_moves_nothing()
    {
        // "x" died: its leases expire by themselves and its mailboxes are activated elsewhere, not moved.
        Assert.Empty(ClusterBalance.ToTakeOver("c", ["a", "c"], Leases(("x", 40), ("a", 10), ("c", 10)), batch: 5));
        Assert.Empty(ClusterBalance.ToTakeOver("a", ["a"], Leases(("a", 10)), batch: 5));
    }
}
