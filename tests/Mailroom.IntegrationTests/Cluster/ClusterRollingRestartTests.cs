using System.Diagnostics;
using Mailroom.IntegrationTests.Infrastructure;

namespace Mailroom.IntegrationTests.Cluster;

/// <summary>
/// A rolling restart of a three-node cluster (SIGTERM, start again, next node) while mail keeps arriving: every
/// message is stored exactly once, a stopped node's mailboxes are taken over at once, and no mailbox ever has two IMAP
/// sessions in any sample. Users cl62..cl91, apart from <see cref="ClusterTests"/>'.
/// </summary>
[Collection(nameof(ClusterCollection))]
public sealed class ClusterRollingRestartTests
{
    private const int Mailboxes = 30;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void Say(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    [Fact]
    public async Task A_rolling_restart_while_mail_arrives_loses_nothing_doubles_nothing()
    {
        LiveServers.RequireDovecot();
        LiveServers.RequirePostgres();
        ClusterTests.RequireClusterUsers(61 + Mailboxes);
        var users = Enumerable.Range(62, Mailboxes).Select(i => "cl" + i).ToList();
        foreach (var user in users)
            await Doveadm.ResetUserAsync(user);

        using var nodes = new ClusterNodes(3);
        await using var host = await MailroomTestHost.StartAsync(Database.Postgres, nodes.SharedSettings);
        nodes.ConnectionString = host.PostgresConnectionString;
        var organization = await host.Accounts.EnsureOrganizationAsync("default", Ct);
        foreach (var user in users)
            await ClusterTests.AddAccountAsync(host, organization, user);
        var probe = new ClusterProbe(host.PostgresConnectionString!, users);
        for (var i = 0; i < nodes.Count; i++)
            nodes.Start(i);
        await probe.WaitForOneSessionEachAsync(TimeSpan.FromSeconds(120), nodes, Ct);
        await probe.WaitForBalanceAsync(nodes, Mailboxes / nodes.Count - 1, TimeSpan.FromSeconds(120), Ct);
        probe.ResetMaxima();

        // Mail keeps arriving, round-robin over the mailboxes, for the whole restart.
        var delivered = new List<string>();
        using var stopMail = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var mail = Task.Run(async () =>
        {
            for (var n = 0; !stopMail.IsCancellationRequested; n++)
            {
                var (id, raw) = ClusterProbe.Message(users[n % users.Count], 100 + n);
                await Doveadm.SaveAsync(users[n % users.Count], "INBOX", raw);
                lock (delivered)
                    delivered.Add(id);
                await Task.Delay(250, CancellationToken.None);
            }
        }, CancellationToken.None);

        for (var node = 0; node < nodes.Count; node++)
        {
            var stopping = Stopwatch.StartNew();
            await nodes.StopAsync(node);
            var stopped = stopping.Elapsed;
            var handedOver = await probe.WaitForOneSessionEachAsync(TimeSpan.FromSeconds(30), nodes, Ct);
            Say($"node {node}: SIGTERM to exit {stopped.TotalSeconds:F1} s, every mailbox on the others {handedOver.TotalSeconds:F1} s after that");
            Assert.InRange(handedOver, TimeSpan.Zero, TimeSpan.FromSeconds(10));
            nodes.Start(node);
            var back = await probe.WaitForBalanceAsync(nodes, Mailboxes / nodes.Count - 1, TimeSpan.FromSeconds(120), Ct);
            Say($"node {node}: back with its share after {back.TotalSeconds:F1} s");
        }
        await stopMail.CancelAsync();
        await mail;

        List<string> all;
        lock (delivered)
            all = [.. delivered];
        Say($"{all.Count} messages delivered during the restart; {probe.Samples} session samples");
        await ClusterTests.WaitForStoredOnceAsync(probe, all, TimeSpan.FromSeconds(90));
        probe.AssertNeverDoubled("rolling restart");
    }
}
