using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Mailroom.IntegrationTests.Auth;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.TestSupport.Graph;
using Microsoft.Data.Sqlite;
using static Mailroom.IntegrationTests.Infrastructure.SqliteProbe;

namespace Mailroom.IntegrationTests.Graph;

/// <summary>
/// Graph change notifications through <c>mailroom serve</c> with Graph:NotificationUrl: the fake Graph validates the
/// endpoint when the subscription is made, then posts a notification per change. The poll interval is 10 minutes, so
/// only notifications can bring changes in: the latency from the fake's change to the stored message is measured; a
/// forged notification (wrong clientState) runs nothing; dropped notifications are caught up after a <c>missed</c>
/// lifecycle event; <c>reauthorizationRequired</c> reauthorizes, <c>subscriptionRemoved</c> makes a new subscription;
/// the subscription is renewed before it expires; after kill -9 the stale subscription is removed.
/// </summary>
[Collection(OidcUserCollection.Name)]
public sealed class GraphPushTests : IDisposable
{
    private const string Address = "mr12@mailroom.test";
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-graphpush-");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => TestArtifacts.DeleteFolder(_data);

    [Fact]
    public async Task Notifications_drive_sync_with_latency_forgeries_ignored_missed_reauthorize_removed_renewed_and_stale_removed()
    {
        GraphTestSupport.RequireCsdl();
        OidcProvider.Require();
        var mailbox = new FakeGraphMailbox();
        for (var n = 1; n <= 50; n++)
            mailbox.Add("inbox", GraphSyncTests.Raw(n), "c" + n.ToString(CultureInfo.InvariantCulture), DateTimeOffset.FromUnixTimeSeconds(1_767_225_600 + n));
        await using var api = await FakeGraphApi.StartAsync(mailbox, Address, new Uri(OidcProvider.Issuer), Ct);
        var port = FreePort();
        var environment = OidcProvider.Environment(TimeSpan.FromSeconds(5));
        environment["MAILROOM__Graph__BaseUrl"] = api.BaseUrl.ToString();
        environment["MAILROOM__Graph__PollInterval"] = "00:10:00";
        environment["MAILROOM__Graph__PushSilence"] = "00:10:00";
        environment["MAILROOM__Graph__NotificationUrl"] = $"http://127.0.0.1:{port}/graph/notifications";
        environment["MAILROOM__Graph__SubscriptionLifetime"] = "00:00:40";
        environment["MAILROOM__Graph__SubscriptionRenewBefore"] = "00:00:25";
        var (code, _, stderr) = await OidcProvider.RunDeviceFlowAsync(
            ["--data", _data, "account", "add", "--graph", "--oauth", OidcProvider.Name, "--user", Address, "--json"], environment, Ct);
        Assert.True(code == 0, stderr);

        var serve = MailroomProcess.Start(["--data", _data, "serve", "--urls", $"http://127.0.0.1:{port}"], environment: environment);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(_data, "mailroom.db")};Pooling=false");
        await WaitAsync(async () => await InboxAsync(db) == 50 && api.Subscriptions.Live.Count == 1, TimeSpan.FromSeconds(60));
        var subscription = api.Subscriptions.Live[0];
        Assert.Equal("me/messages", subscription["resource"]!.GetValue<string>());
        Assert.Equal("created,updated,deleted", subscription["changeType"]!.GetValue<string>());
        Assert.True(subscription["clientState"]!.GetValue<string>().Length >= 32);

        // Latency: from the change at the fake to the message in the store, only notifications to carry it.
        var latencies = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var id = mailbox.Add("inbox", GraphSyncTests.Raw(100 + i), "n" + i.ToString(CultureInfo.InvariantCulture), DateTimeOffset.UtcNow);
            await WaitStoredAsync(db, id, TimeSpan.FromSeconds(10));
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        latencies.Sort();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"change → stored: p50 {latencies[latencies.Count / 2]:F0} ms, max {latencies[^1]:F0} ms over {latencies.Count}");
        Assert.True(latencies[^1] < 5000, $"slowest {latencies[^1]:F0} ms");
        Assert.All(api.Subscriptions.Deliveries, d => Assert.Equal(202, d.Status));

        // Renewed before it expires (40 s lifetime, renewed with 25 s left).
        await WaitAsync(() => Task.FromResult(api.Subscriptions.Renewed >= 1), TimeSpan.FromSeconds(40));
        Assert.Equal(1, api.Subscriptions.Created);
        await Task.Delay(1000, Ct); // the delta that follows a renewal ends; the next renewal is 15 s away

        // A forged notification (the right subscription id, another clientState) is answered but runs no delta.
        var before = api.Requests;
        Assert.All(await api.Subscriptions.SendForgedAsync("AAMkForged"), s => Assert.Equal(202, s));
        await Task.Delay(1500, Ct);
        Assert.Equal(before, api.Requests);

        // Graph drops notifications, then says so with "missed": the delta catches up.
        api.Subscriptions.DropNotifications = true;
        var lost = mailbox.Add("inbox", GraphSyncTests.Raw(200), "lost", DateTimeOffset.UtcNow);
        await Task.Delay(1500, Ct);
        Assert.False(await StoredAsync(db, lost));
        api.Subscriptions.DropNotifications = false;
        Assert.All(await api.Subscriptions.SendLifecycleAsync("missed"), s => Assert.Equal(202, s));
        await WaitStoredAsync(db, lost, TimeSpan.FromSeconds(3));

        Assert.All(await api.Subscriptions.SendLifecycleAsync("reauthorizationRequired"), s => Assert.Equal(202, s));
        await WaitAsync(() => Task.FromResult(api.Subscriptions.Reauthorized == 1), TimeSpan.FromSeconds(10));

        // Removed by Graph: a new subscription (validated again), and its notifications work.
        Assert.All(await api.Subscriptions.SendLifecycleAsync("subscriptionRemoved"), s => Assert.Equal(202, s));
        await WaitAsync(() => Task.FromResult(api.Subscriptions.Created == 2 && api.Subscriptions.Live.Count == 1), TimeSpan.FromSeconds(10));
        var afterRemoval = mailbox.Add("inbox", GraphSyncTests.Raw(300), "again", DateTimeOffset.UtcNow);
        await WaitAsync(async () => await StoredAsync(db, afterRemoval), TimeSpan.FromSeconds(10));

        // kill -9 leaves the subscription at Graph; the next serve removes it before it makes its own.
        serve.Kill();
        await serve.WaitAsync(TimeSpan.FromSeconds(10));
        var stale = api.Subscriptions.Live.Single()["id"]!.GetValue<string>();
        using var again = MailroomProcess.Start(["--data", _data, "serve", "--urls", $"http://127.0.0.1:{port}"], environment: environment);
        await WaitAsync(() => Task.FromResult(api.Subscriptions.Created == 3 && api.Subscriptions.Live.Count == 1), TimeSpan.FromSeconds(60));
        Assert.NotEqual(stale, api.Subscriptions.Live[0]["id"]!.GetValue<string>());
        Assert.Equal(72L, await ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM messages"));
        again.Kill();
        await again.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_notification_url_graph_cannot_reach_leaves_the_mailbox_polling()
    {
        GraphTestSupport.RequireCsdl();
        OidcProvider.Require();
        var mailbox = new FakeGraphMailbox();
        for (var n = 1; n <= 10; n++)
            mailbox.Add("inbox", GraphSyncTests.Raw(n), "c" + n.ToString(CultureInfo.InvariantCulture), DateTimeOffset.FromUnixTimeSeconds(1_767_225_600 + n));
        await using var api = await FakeGraphApi.StartAsync(mailbox, Address, new Uri(OidcProvider.Issuer), Ct);
        var environment = OidcProvider.Environment(TimeSpan.FromSeconds(5));
        environment["MAILROOM__Graph__BaseUrl"] = api.BaseUrl.ToString();
        environment["MAILROOM__Graph__PollInterval"] = "00:00:01";
        // Nobody listens there: Graph's validation request fails and it refuses the subscription.
        environment["MAILROOM__Graph__NotificationUrl"] = $"http://127.0.0.1:{FreePort()}/graph/notifications";
        var (code, _, stderr) = await OidcProvider.RunDeviceFlowAsync(
            ["--data", _data, "account", "add", "--graph", "--oauth", OidcProvider.Name, "--user", Address, "--json"], environment, Ct);
        Assert.True(code == 0, stderr);

        using var serve = MailroomProcess.Start(["--data", _data, "serve", "--urls", $"http://127.0.0.1:{FreePort()}"], environment: environment);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(_data, "mailroom.db")};Pooling=false");
        await WaitAsync(async () => await InboxAsync(db) == 10, TimeSpan.FromSeconds(60));
        var added = mailbox.Add("inbox", GraphSyncTests.Raw(11), "c11", DateTimeOffset.UtcNow);
        await WaitAsync(async () => await StoredAsync(db, added), TimeSpan.FromSeconds(20));
        Assert.Empty(api.Subscriptions.Live);
        Assert.Equal(0, api.Subscriptions.Created);
        Assert.Equal("ok", await TextOfProcessAsync(db, "SELECT state FROM mailboxes"));
        serve.Kill();
        await serve.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task<string?> TextOfProcessAsync(SqliteConnection db, string sql)
    {
        await db.OpenAsync(Ct);
        try
        {
            await using var command = db.CreateCommand();
            command.CommandText = sql;
            return (string?)await command.ExecuteScalarAsync(Ct);
        }
        finally
        {
            await db.CloseAsync();
        }
    }

    private static Task<long> InboxAsync(SqliteConnection db) =>
        ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM folder_memberships fm JOIN folders f ON f.id = fm.folder_id WHERE f.path = 'Inbox'");

    private static async Task<bool> StoredAsync(SqliteConnection db, string id) =>
        await ScalarOfProcessAsync(db, $"SELECT COUNT(*) FROM messages WHERE identity_key = 'p:ms:{id}'") == 1;

    /// <summary>Polls every 10 ms: the latency measured is the store's, not the poll's.</summary>
    private static async Task WaitStoredAsync(SqliteConnection db, string id, TimeSpan timeout)
    {
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!await StoredAsync(db, id))
        {
            Assert.True(Stopwatch.GetTimestamp() < until, $"message {id} not stored within {timeout}");
            await Task.Delay(10, Ct);
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
