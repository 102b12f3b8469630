using System.Globalization;
using Mailroom.IntegrationTests.Auth;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.TestSupport.Gmail;
using Microsoft.Data.Sqlite;
using static Mailroom.IntegrationTests.Infrastructure.SqliteProbe;

namespace Mailroom.IntegrationTests.GmailApi;

/// <summary>
/// The Gmail API through the <c>mailroom</c> binary: <c>account add --gmail-api --oauth</c> (device flow approved at
/// the OpenID test provider), <c>serve</c> killed with SIGKILL in the middle of the first sync and started again
/// (resumes, nothing doubled), new mail picked up by the poll, and <c>account protocol</c>.
/// </summary>
[Collection(OidcUserCollection.Name)]
public sealed class GmailApiCliTests : IDisposable
{
    private const int Messages = 1500;
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-gmailcli-");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => TestArtifacts.DeleteFolder(_data);

    [Fact]
    public async Task Account_add_serve_kill_9_resume_poll_and_protocol_switch()
    {
        OidcProvider.Require();
        var mailbox = new FakeGmailMailbox();
        for (var n = 1; n <= Messages; n++)
            mailbox.Add(GmailApiSyncTests.GmailId(n), GmailApiSyncTests.GmailId(n), GmailApiSyncTests.Raw(n), DateTimeOffset.FromUnixTimeSeconds(1_767_225_600 + n), "INBOX");
        await using var api = await FakeGmailApi.StartAsync(mailbox, new Uri(OidcProvider.Issuer), Ct);
        var environment = OidcProvider.Environment(TimeSpan.FromSeconds(5));
        environment["MAILROOM__Gmail__ApiBaseUrl"] = api.Address.ToString();
        environment["MAILROOM__Gmail__PollInterval"] = "00:00:01";
        environment["MAILROOM__Gmail__QuotaUnitsPerSecond"] = "100000";
        environment["MAILROOM__Sync__BatchSize"] = "50";

        var (code, stdout, stderr) = await AddAsync(environment);
        Assert.True(code == 0, stderr);
        Assert.Contains("\"protocol\": \"gmail-api\"", stdout, StringComparison.Ordinal);

        // First sync, slowed down so that it is still running when the process is killed.
        api.Delay = TimeSpan.FromMilliseconds(150);
        var serve = MailroomProcess.Start(["--data", _data, "serve", "--urls", "http://127.0.0.1:0"], environment: environment);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(_data, "mailroom.db")};Pooling=false");
        await WaitAsync(async () => await CountAsync(db) >= 200, TimeSpan.FromSeconds(90));
        serve.Kill();
        await serve.WaitAsync(TimeSpan.FromSeconds(10));
        var beforeKill = await CountAsync(db);
        Assert.InRange(beforeKill, 200, Messages - 1);

        api.Delay = TimeSpan.Zero;
        using var again = MailroomProcess.Start(["--data", _data, "serve", "--urls", "http://127.0.0.1:0"], environment: environment);
        await WaitAsync(async () => await InboxAsync(db) == Messages, TimeSpan.FromSeconds(120));
        Assert.Equal(Messages, await CountAsync(db));
        // Resumed: what was stored before the kill was not downloaded again (at most the batches in flight were).
        Assert.True(api.RawServed < Messages + 300, $"{api.RawServed} raw messages served for {Messages}");

        // New mail while serving: the next poll (1 s) stores it.
        mailbox.Add(GmailApiSyncTests.GmailId(Messages + 1), GmailApiSyncTests.GmailId(1), GmailApiSyncTests.Raw(Messages + 1), DateTimeOffset.UtcNow, "INBOX");
        await WaitAsync(async () => await InboxAsync(db) == Messages + 1, TimeSpan.FromSeconds(30));
        again.Kill();
        await again.WaitAsync(TimeSpan.FromSeconds(10));

        var (switched, switchOut, switchErr) = await MailroomProcess.RunAsync(["--data", _data, "account", "protocol", "mr12@mailroom.test", "imap"], environment: environment);
        Assert.True(switched == 0, switchErr);
        Assert.Contains("now uses imap", switchOut, StringComparison.Ordinal);
        var (bad, _, badErr) = await MailroomProcess.RunAsync(["--data", _data, "account", "protocol", "mr12@mailroom.test", "pop3"], environment: environment);
        Assert.Equal(2, bad);
        Assert.Contains("imap or gmail-api", badErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_through_pubsub_pull_wakes_the_worker_and_a_silent_push_falls_back_to_polling()
    {
        OidcProvider.Require();
        var mailbox = new FakeGmailMailbox();
        for (var n = 1; n <= 20; n++)
            mailbox.Add(GmailApiSyncTests.GmailId(n), GmailApiSyncTests.GmailId(n), GmailApiSyncTests.Raw(n), DateTimeOffset.FromUnixTimeSeconds(1_767_225_600 + n), "INBOX");
        await using var api = await FakeGmailApi.StartAsync(mailbox, new Uri(OidcProvider.Issuer), Ct);
        using var key = System.Security.Cryptography.RSA.Create(2048);
        const string Topic = "projects/test-project/topics/mailroom-gmail", Subscription = "projects/test-project/subscriptions/mailroom-gmail";
        var pubSub = api.EnablePush(Topic, Subscription, key);
        var credentials = Path.Combine(_data, "service-account.json");
        Directory.CreateDirectory(_data);
        await File.WriteAllTextAsync(credentials, pubSub.ServiceAccountJson(), Ct);

        var environment = OidcProvider.Environment(TimeSpan.FromSeconds(5));
        environment["MAILROOM__Gmail__ApiBaseUrl"] = api.Address.ToString();
        environment["MAILROOM__Gmail__PubSubBaseUrl"] = api.Address.ToString();
        environment["MAILROOM__Gmail__PubSubTopic"] = Topic;
        environment["MAILROOM__Gmail__PubSubSubscription"] = Subscription;
        environment["MAILROOM__Gmail__PubSubCredentialsFile"] = credentials;
        environment["MAILROOM__Gmail__PushSilence"] = "00:10:00";
        var (code, _, stderr) = await AddAsync(environment);
        Assert.True(code == 0, stderr);

        await using var db = new SqliteConnection($"Data Source={Path.Combine(_data, "mailroom.db")};Pooling=false");
        using (var serve = MailroomProcess.Start(["--data", _data, "serve", "--urls", "http://127.0.0.1:0"], environment: environment))
        {
            await WaitAsync(async () => await InboxAsync(db) == 20, TimeSpan.FromSeconds(60));
            Assert.Equal(1, api.WatchCalls);
            // Polls come every 10 minutes: a message stored within seconds came through the push.
            mailbox.Add(GmailApiSyncTests.GmailId(21), GmailApiSyncTests.GmailId(21), GmailApiSyncTests.Raw(21), DateTimeOffset.UtcNow, "INBOX");
            try
            {
                await WaitAsync(async () => await InboxAsync(db) == 21, TimeSpan.FromSeconds(20));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                serve.Kill();
                var (_, o, e) = await serve.WaitAsync(TimeSpan.FromSeconds(10));
                Assert.Fail($"not pushed ({pubSub.Published} published, {pubSub.Acknowledged} acknowledged): {o}\n{e}");
            }
            Assert.True(pubSub.Acknowledged >= 1, $"{pubSub.Published} published, {pubSub.Acknowledged} acknowledged");
            serve.Kill();
            await serve.WaitAsync(TimeSpan.FromSeconds(10));
        }

        // Gmail stops publishing (a broken topic binding, say): after Gmail:PushSilence the worker polls anyway.
        pubSub.Publishing = false;
        environment["MAILROOM__Gmail__PushSilence"] = "00:00:02";
        using (var serve = MailroomProcess.Start(["--data", _data, "serve", "--urls", "http://127.0.0.1:0"], environment: environment))
        {
            await WaitAsync(async () => api.WatchCalls == 2, TimeSpan.FromSeconds(30));
            mailbox.Add(GmailApiSyncTests.GmailId(22), GmailApiSyncTests.GmailId(22), GmailApiSyncTests.Raw(22), DateTimeOffset.UtcNow, "INBOX");
            await WaitAsync(async () => await InboxAsync(db) == 22, TimeSpan.FromSeconds(20));
            serve.Kill();
            await serve.WaitAsync(TimeSpan.FromSeconds(10));
        }
        Assert.Equal(22, await CountAsync(db));

        // Removed: users.stop first (while its token exists), so Gmail publishes nothing more for it.
        pubSub.Publishing = true;
        var (removed, _, removeErr) = await MailroomProcess.RunAsync(["--data", _data, "account", "remove", "mr12@mailroom.test"], environment: environment);
        Assert.True(removed == 0, removeErr);
        Assert.Equal(1, api.StopCalls);
        var published = pubSub.Published;
        mailbox.Add(GmailApiSyncTests.GmailId(23), GmailApiSyncTests.GmailId(23), GmailApiSyncTests.Raw(23), DateTimeOffset.UtcNow, "INBOX");
        Assert.Equal(published, pubSub.Published);
    }

    private Task<(int, string, string)> AddAsync(Dictionary<string, string> environment) =>
        OidcProvider.RunDeviceFlowAsync(["--data", _data, "account", "add", "mr12@mailroom.test", "--gmail-api", "--oauth", OidcProvider.Name, "--json"], environment, Ct);

    private static async Task<long> CountAsync(SqliteConnection db) => await ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM messages");

    private static async Task<long> InboxAsync(SqliteConnection db) =>
        await ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM folder_memberships fm JOIN folders f ON f.id = fm.folder_id WHERE f.path = 'INBOX'");
}
