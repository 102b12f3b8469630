using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Mailroom.Core.Accounts;
using Mailroom.Core.Events;
using Mailroom.Core.Storage;
using Mailroom.IntegrationTests.Events;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.IntegrationTests.Cluster;

/// <summary>A heavy test (three serve processes, 60 live IMAP sessions): run alone, not beside the other classes.</summary>
[CollectionDefinition(nameof(ClusterCollection), DisableParallelization = true)]
public sealed class ClusterCollection;

/// <summary>
/// Cluster mode end to end (issue 21, docs/cluster.md): three <c>serve</c> nodes on 127.0.0.1 over the test PostgreSQL,
/// 60 mailboxes of the test Dovecot's cluster users (cl1..cl60). Sessions are counted with <c>doveadm who</c>.
/// </summary>
[Collection(nameof(ClusterCollection))]
public sealed class ClusterTests
{
    private const int Mailboxes = 60;
    private const string WebhookSecret = "whsec_cluster_test_secret_0123456789";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void Say(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    [Fact]
    public async Task Three_nodes_run_each_mailbox_once_fail_over_within_30_s_and_rebalance_without_double_sessions()
    {
        LiveServers.RequireDovecot();
        LiveServers.RequirePostgres();
        RequireClusterUsers(Mailboxes + 1);
        var users = Enumerable.Range(1, Mailboxes).Select(i => "cl" + i).ToList();
        foreach (var user in users.Append("cl61"))
            await Doveadm.ResetUserAsync(user);
        foreach (var user in users)
            await Doveadm.SaveAsync(user, "INBOX", ClusterProbe.Message(user, 1).Raw);

        var hooks = new ConcurrentQueue<(IReadOnlyDictionary<string, string>, byte[], DateTimeOffset)>();
        var receiverPort = FreePort();
        await using var receiver = await LiveReceiver.StartAsync(receiverPort, hooks);
        using var nodes = new ClusterNodes(3, new Dictionary<string, string>
        {
            ["MAILROOM__Webhooks__AllowedNetworks__0"] = "127.0.0.1/32",
            ["MAILROOM__Webhooks__RetryInitial"] = "00:00:00.500",
            ["MAILROOM__Webhooks__RetryCap"] = "00:00:02",
        });
        await using var host = await MailroomTestHost.StartAsync(Database.Postgres, nodes.SharedSettings);
        nodes.ConnectionString = host.PostgresConnectionString;
        var organization = await host.Accounts.EnsureOrganizationAsync("default", Ct);
        var ids = new Dictionary<string, long>();
        foreach (var user in users)
            ids[user] = (await AddAccountAsync(host, organization, user)).Id;
        var protector = host.Services.GetRequiredService<ISecretProtector>();
        await host.Services.GetRequiredService<IWebhookStore>().AddSubscriptionAsync(
            organization, new Uri($"http://127.0.0.1:{receiverPort}/hook"), protector.Protect(SecretPurposes.WebhookSecret, WebhookSecret),
            [EventTypes.MessageCreated], Ct);
        var probe = new ClusterProbe(host.PostgresConnectionString!, users);

        // 1. Three nodes: every mailbox has one session, never two; the nodes even out (a few mailboxes at a time).
        for (var i = 0; i < nodes.Count; i++)
            nodes.Start(i);
        var started = await probe.WaitForOneSessionEachAsync(TimeSpan.FromSeconds(120), nodes, Ct);
        Say($"3 nodes: one session for each of {Mailboxes} mailboxes {started.TotalSeconds:F1} s after start");
        var balanced = await probe.WaitForBalanceAsync(nodes, Mailboxes / nodes.Count - 1, TimeSpan.FromSeconds(120), Ct);
        await WaitForStoredOnceAsync(probe, users.Select(u => ClusterProbe.Message(u, 1).MessageId).ToList(), TimeSpan.FromSeconds(60));
        probe.AssertNeverDoubled("start and balance");
        var owners = await probe.OwnersAsync();
        Say($"balanced {balanced.TotalSeconds:F1} s later; mailboxes per node: "
            + string.Join(", ", owners.Values.GroupBy(o => o).Select(g => $"{g.Key}={g.Count()}")) + $" ({probe.Samples} session samples)");
        Assert.Equal(Mailboxes, owners.Count);

        // 2. New mail: stored once, one webhook each.
        foreach (var user in users)
            await Doveadm.SaveAsync(user, "INBOX", ClusterProbe.Message(user, 2).Raw);
        await WaitForStoredOnceAsync(probe, users.Select(u => ClusterProbe.Message(u, 2).MessageId).ToList(), TimeSpan.FromSeconds(60));
        await WaitForWebhooksAsync(hooks, users.SelectMany(u => new[] { $"Cluster {u} 1", $"Cluster {u} 2" }).ToList(), TimeSpan.FromSeconds(60));

        // 3. kill -9 one node; mail delivered during the gap.
        probe.ResetMaxima();
        var victim = 1;
        var userOf = ids.ToDictionary(i => i.Value, i => i.Key);
        var victims = (await probe.OwnersAsync()).Where(o => o.Value.StartsWith(nodes.OwnerPrefix(victim), StringComparison.Ordinal))
            .Select(o => userOf[o.Key]).ToList();
        Assert.NotEmpty(victims);
        var killedAt = Stopwatch.StartNew();
        nodes.Kill(victim);
        foreach (var user in victims)
            await Doveadm.SaveAsync(user, "INBOX", ClusterProbe.Message(user, 3).Raw);
        await probe.WaitForOneSessionEachAsync(TimeSpan.FromSeconds(30), nodes, Ct);
        Say($"kill -9 of node {victim} ({victims.Count} mailboxes): every mailbox had one session again {killedAt.Elapsed.TotalSeconds:F1} s after the kill");
        Assert.InRange(killedAt.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        await WaitForStoredOnceAsync(probe, victims.Select(u => ClusterProbe.Message(u, 3).MessageId).ToList(), TimeSpan.FromSeconds(60));
        probe.AssertNeverDoubled("failover");

        // 4. The node comes back: it takes its share, a few at a time, never two sessions for a mailbox.
        probe.ResetMaxima();
        nodes.Start(victim);
        var rejoin = await probe.WaitForBalanceAsync(nodes, Mailboxes / nodes.Count - 1, TimeSpan.FromSeconds(120), Ct);
        Say($"restarted node {victim} has its share {rejoin.TotalSeconds:F1} s after its start ({probe.Samples} session samples)");
        await probe.WaitForOneSessionEachAsync(TimeSpan.FromSeconds(30), nodes, Ct);
        probe.AssertNeverDoubled("rebalance");

        // 5. Added through node 0: syncing within 5 s; paused through node 2: its session ends.
        using var http = new HttpClient();
        var (_, key) = await host.Services.GetRequiredService<ApiKeyStore>().CreateAsync(organization, "cluster-test", Ct);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var added = Stopwatch.StartNew();
        var create = await http.PostAsJsonAsync($"{nodes.Url(0)}/v1/mailboxes", new
        {
            host = LiveServers.Host, port = LiveServers.ImapPort, security = "none", allowPlaintext = true,
            userName = "cl61", password = "cl61pass", verify = false,
        }, Ct);
        Assert.True(create.IsSuccessStatusCode, await create.Content.ReadAsStringAsync(Ct));
        var newId = JsonDocument.Parse(await create.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("mailbox").GetProperty("id").GetInt64();
        while ((await Doveadm.ImapSessionsAsync()).GetValueOrDefault("cl61") != 1 && added.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(100, Ct);
        Say($"mailbox added through node 0: IMAP session {added.Elapsed.TotalSeconds:F1} s after the POST");
        Assert.InRange(added.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));

        var pause = await http.PostAsync($"{nodes.Url(2)}/v1/mailboxes/{newId}/pause", null, Ct);
        Assert.True(pause.IsSuccessStatusCode, await pause.Content.ReadAsStringAsync(Ct));
        var paused = Stopwatch.StartNew();
        while ((await Doveadm.ImapSessionsAsync()).GetValueOrDefault("cl61") != 0 && paused.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(100, Ct);
        Say($"paused through node 2: session gone {paused.Elapsed.TotalSeconds:F1} s after the answer");
        Assert.Equal(0, (await Doveadm.ImapSessionsAsync()).GetValueOrDefault("cl61"));
        Assert.DoesNotContain(newId, (await probe.OwnersAsync()).Keys);

        var cluster = JsonDocument.Parse(await http.GetStringAsync($"{nodes.Url(1)}/v1/cluster", Ct)).RootElement;
        Say("GET /v1/cluster: " + cluster.GetRawText());
        Assert.Equal(3, cluster.GetProperty("nodes").GetArrayLength());
        Assert.Equal(Mailboxes, cluster.GetProperty("nodes").EnumerateArray().Sum(n => n.GetProperty("mailboxes").GetInt32()));
    }

    internal static async Task<MailboxRecord> AddAccountAsync(MailroomTestHost host, long organization, string user)
    {
        var settings = new MailboxSettings
        {
            Host = LiveServers.Host, Port = LiveServers.ImapPort, UserName = user, Security = TransportSecurity.None, AllowPlaintext = true,
        };
        var secret = host.Services.GetRequiredService<ISecretProtector>().Protect(SecretPurposes.MailboxPassword, user + "pass");
        return await host.Accounts.AddMailboxAsync(organization, user, MailboxProtocol.Imap, settings, secret, Ct);
    }

    internal static async Task WaitForStoredOnceAsync(ClusterProbe probe, List<string> messageIds, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        Dictionary<string, int> stored = [];
        while (clock.Elapsed < timeout)
        {
            stored = await probe.StoredAsync(messageIds);
            Assert.True(stored.Values.All(c => c == 1), "stored twice: " + string.Join(", ", stored.Where(s => s.Value > 1).Select(s => s.Key)));
            if (stored.Count == messageIds.Count)
                return;
            await Task.Delay(250, Ct);
        }
        Assert.Fail($"{messageIds.Count - stored.Count} of {messageIds.Count} messages not stored within {timeout.TotalSeconds} s");
    }

    private static async Task WaitForWebhooksAsync(
        ConcurrentQueue<(IReadOnlyDictionary<string, string>, byte[] Body, DateTimeOffset)> hooks, IReadOnlyList<string> subjects, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        Dictionary<string, int> seen = [];
        while (clock.Elapsed < timeout)
        {
            seen = hooks.Select(h => JsonDocument.Parse(h.Body).RootElement.GetProperty("data").GetProperty("subject").GetString()!)
                .GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
            if (subjects.All(seen.ContainsKey))
                break;
            await Task.Delay(250, Ct);
        }
        Assert.True(subjects.All(seen.ContainsKey), $"{subjects.Count(s => !seen.ContainsKey(s))} webhooks missing after {timeout.TotalSeconds} s");
        // A second delivery would come at once if the same message were stored (or signalled) twice: give it a moment.
        await Task.Delay(2000, Ct);
        seen = hooks.Select(h => JsonDocument.Parse(h.Body).RootElement.GetProperty("data").GetProperty("subject").GetString()!)
            .GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(subjects.All(s => seen[s] == 1), "webhooks more than once: " + string.Join(", ", seen.Where(s => s.Value > 1).Select(s => s.Key)));
    }

    private static Task WaitForAllButVictimAsync(ClusterNodes nodes, int victim)
    {
        for (var i = 0; i < nodes.Count; i++)
            Assert.True(i == victim || nodes.IsRunning(i), $"node {i} exited");
        return Task.CompletedTask;
    }

    internal static void RequireClusterUsers(int count)
    {
        var have = int.TryParse(Environment.GetEnvironmentVariable("MAILROOM_TEST_CLUSTER_USER_COUNT"), out var n) ? n : 0;
        if (have < count)
            Assert.Skip($"the test environment has {have} cluster users (cl1..clN), {count} needed: scripts/test-env.sh up from this branch creates them.");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
