using System.Net;

namespace Mailroom.Server.Tests.Api;

public sealed class ClusterApiTests(SeededApi api) : IClassFixture<SeededApi>
{
    [Fact]
    public async Task Without_cluster_mode_the_one_process_runs_the_organizations_mailboxes()
    {
        var ct = TestContext.Current.CancellationToken;
        // The seeded mailboxes are paused: nothing runs.
        Assert.Equal(0, await LocalCountAsync());
        await ApiAssert.JsonAsync(await api.ClientA().PostAsync($"/v1/mailboxes/{api.A1.Id}/resume", null, ct), HttpStatusCode.OK);
        try
        {
            // Organization A's one mailbox; B's is not counted for A.
            Assert.Equal(1, await LocalCountAsync());
        }
        finally
        {
            await api.ClientA().PostAsync($"/v1/mailboxes/{api.A1.Id}/pause", null, ct);
        }

        async Task<int> LocalCountAsync()
        {
            var cluster = await ApiAssert.JsonAsync(await api.ClientA().GetAsync("/v1/cluster", ct), HttpStatusCode.OK);
            Assert.False(cluster.GetProperty("enabled").GetBoolean());
            Assert.Equal(0, cluster.GetProperty("unowned").GetInt32());
            var node = Assert.Single(cluster.GetProperty("nodes").EnumerateArray());
            Assert.Equal("local", node.GetProperty("node").GetString());
            return node.GetProperty("mailboxes").GetInt32();
        }
    }
}
