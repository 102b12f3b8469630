using System.Diagnostics;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Core.Sync.Ews;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.TestSupport.Ews;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static Mailroom.IntegrationTests.Infrastructure.SqliteProbe;

namespace Mailroom.IntegrationTests.Ews;

/// <summary>
/// The EWS worker on streaming notifications: new mail is stored within a second of its delivery; connections that
/// Exchange closes are opened again (renewal) and a forgotten subscription is made again; without streaming the worker
/// falls back to polling every Ews:PollInterval.
/// </summary>
public sealed class EwsStreamingTests : IDisposable
{
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-ewsstream-");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => TestArtifacts.DeleteFolder(_data);

    private static EwsWorker Worker(MailroomTestHost host, MailboxRecord mailbox, TimeSpan poll, int? streamingMinutes) => new(
        mailbox.Id, ct => host.Runner.ConnectEwsAsync(mailbox, ct), host.Services.GetRequiredService<EwsSync>(),
        host.Services.GetRequiredService<MailboxWorkerOptions>(), poll, streamingMinutes, TimeProvider.System, (_, _) => Task.CompletedTask);

    private static async Task<long> InboxAsync(SqliteConnection db) => await CountInAsync(db, "Posteingang");

    /// <summary>Delivers one message and measures how long until the store holds it.</summary>
    private static async Task<TimeSpan> DeliverAndWaitAsync(FakeEwsServer server, SqliteConnection db, int n, long expected)
    {
        var watch = Stopwatch.StartNew();
        server.Mailbox.Deliver(server.Mailbox.FolderId("inbox"), EwsSyncTests.Raw(n));
        await WaitAsync(async () => await InboxAsync(db) == expected, TimeSpan.FromSeconds(20));
        return watch.Elapsed;
    }

    [Fact]
    public async Task New_mail_is_stored_within_a_second_across_renewals_and_a_forgotten_subscription()
    {
        var (host, server, mailbox) = await EwsSyncTests.StartAsync(_data, EwsSyncTests.Mailbox(20, out _));
        await using var _h = host;
        await using var _s = server;
        server.StreamingConnectionLimit = TimeSpan.FromSeconds(2);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        // A poll interval far longer than the test: only streaming can bring the mail in time.
        var worker = Worker(host, mailbox, TimeSpan.FromHours(1), 1).RunAsync(stop.Token);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(_data, "mailroom.db")}");
        await db.OpenAsync(Ct);
        await WaitAsync(async () => await InboxAsync(db) == 18, TimeSpan.FromSeconds(20));
        await WaitAsync(() => Task.FromResult(server.StreamingConnections >= 1), TimeSpan.FromSeconds(10));

        var latencies = new List<TimeSpan>();
        for (var i = 1; i <= 5; i++)
        {
            latencies.Add(await DeliverAndWaitAsync(server, db, 100 + i, 18 + i));
            await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);
        }
        // Renewed: each connection closed after 2 s was opened again, and mail still came at once.
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        var connections = server.StreamingConnections;
        Assert.True(connections >= 3, $"{connections} GetStreamingEvents connections");
        latencies.Add(await DeliverAndWaitAsync(server, db, 106, 24));

        // Exchange forgets the subscription: the worker subscribes again and mail still comes.
        server.ForgetSubscriptions();
        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct); // the open connection ends; the next one is refused
        latencies.Add(await DeliverAndWaitAsync(server, db, 107, 25));
        Assert.True(server.Operations.Count(o => o == "Subscribe") >= 2);

        Assert.All(latencies, l => Assert.True(l < TimeSpan.FromSeconds(1), $"new mail took {l.TotalMilliseconds:0} ms: {string.Join(", ", latencies.Select(x => x.TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))}"));
        Assert.True(server.Problems.Count == 0, string.Join("\n", server.Problems.Distinct()));
        await stop.CancelAsync();
        await worker;
    }

    [Fact]
    public async Task Without_streaming_the_worker_polls()
    {
        var (host, server, mailbox) = await EwsSyncTests.StartAsync(_data, EwsSyncTests.Mailbox(10, out _));
        await using var _h = host;
        await using var _s = server;
        server.Streaming = false;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var worker = Worker(host, mailbox, TimeSpan.FromSeconds(1), 30).RunAsync(stop.Token);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(_data, "mailroom.db")}");
        await db.OpenAsync(Ct);
        await WaitAsync(async () => await InboxAsync(db) == 9, TimeSpan.FromSeconds(20));
        var latency = await DeliverAndWaitAsync(server, db, 200, 10);
        Assert.True(latency < TimeSpan.FromSeconds(5), $"polling brought the mail after {latency}");
        Assert.Equal(1, server.Operations.Count(o => o == "Subscribe")); // refused once, then polling
        Assert.Equal(0, server.StreamingConnections);
        await stop.CancelAsync();
        await worker;
    }
}
