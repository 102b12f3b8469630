using System.Globalization;
using Mailroom.IntegrationTests.Auth;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.TestSupport.Graph;
using Microsoft.Data.Sqlite;
using static Mailroom.IntegrationTests.Infrastructure.SqliteProbe;

namespace Mailroom.IntegrationTests.Graph;

/// <summary>
/// Microsoft Graph through the <c>mailroom</c> binary: <c>account add --graph --oauth PROVIDER --user ADDRESS</c>
/// (device flow approved at the OpenID test provider), <c>serve</c> killed with SIGKILL in the middle of the first sync
/// and started again (resumes, nothing doubled or downloaded twice), then a flag change, a move and a delete picked up
/// by the poll (Graph:PollInterval), and an expired delta token reconciled while serving.
/// </summary>
[Collection(OidcUserCollection.Name)]
public sealed class GraphCliTests : IDisposable
{
    private const int Messages = 1200;
    private const string Address = "mr12@mailroom.test";
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-graphcli-");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => TestArtifacts.DeleteFolder(_data);

    [Fact]
    public async Task Account_add_serve_kill_9_resume_then_flag_move_delete_and_expired_token_while_serving()
    {
        GraphTestSupport.RequireCsdl();
        OidcProvider.Require();
        var mailbox = new FakeGraphMailbox();
        var ids = Enumerable.Range(1, Messages)
            .Select(n => mailbox.Add("inbox", GraphSyncTests.Raw(n), "c" + n.ToString(CultureInfo.InvariantCulture), DateTimeOffset.FromUnixTimeSeconds(1_767_225_600 + n)))
            .ToList();
        await using var api = await FakeGraphApi.StartAsync(mailbox, Address, new Uri(OidcProvider.Issuer), Ct);
        var environment = OidcProvider.Environment(TimeSpan.FromSeconds(5));
        environment["MAILROOM__Graph__BaseUrl"] = api.BaseUrl.ToString();
        environment["MAILROOM__Graph__PollInterval"] = "00:00:01";
        environment["MAILROOM__Graph__RetryInitial"] = "00:00:00.050";
        environment["MAILROOM__Sync__BatchSize"] = "50";

        var (code, stdout, stderr) = await AddAsync(environment);
        Assert.True(code == 0, stderr);
        Assert.Contains("\"protocol\": \"graph\"", stdout, StringComparison.Ordinal);

        // First sync, slowed down so that it is still running when the process is killed.
        api.Delay = TimeSpan.FromMilliseconds(40);
        var serve = MailroomProcess.Start(["--data", _data, "serve", "--urls", "http://127.0.0.1:0"], environment: environment);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(_data, "mailroom.db")};Pooling=false");
        await WaitAsync(async () => await ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM messages") >= 200, TimeSpan.FromSeconds(120));
        serve.Kill();
        await serve.WaitAsync(TimeSpan.FromSeconds(10));
        var beforeKill = await ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM messages");
        Assert.InRange(beforeKill, 200, Messages - 1);

        api.Delay = TimeSpan.Zero;
        using var again = MailroomProcess.Start(["--data", _data, "serve", "--urls", "http://127.0.0.1:0"], environment: environment);
        await WaitAsync(async () => await InboxAsync(db) == Messages, TimeSpan.FromSeconds(120));
        Assert.Equal(Messages, await ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM messages"));
        // Resumed: what was stored before the kill was not downloaded again (at most the batches in flight were).
        Assert.True(api.MimeServed < Messages + 100, $"{api.MimeServed} messages served for {Messages}");

        // Changes while serving, picked up by the next poll.
        mailbox.Update(ids[0], isRead: true, flagged: true);
        mailbox.Move(ids[1], "archive");
        mailbox.Delete(ids[2]);
        await WaitAsync(async () => await InboxAsync(db) == Messages - 2
            && await ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM folder_memberships fm JOIN folders f ON f.id = fm.folder_id WHERE f.path = 'Archive'") == 1
            && await ScalarOfProcessAsync(db, $"SELECT COUNT(*) FROM folder_memberships fm JOIN messages m ON m.id = fm.message_id WHERE m.identity_key = 'p:ms:{ids[0]}' AND fm.flags = 5") == 1,
            TimeSpan.FromSeconds(30));

        // The delta tokens expire: the reconcile downloads only the new message.
        var served = api.MimeServed;
        mailbox.Add("inbox", GraphSyncTests.Raw(Messages + 1), "new", DateTimeOffset.UtcNow);
        mailbox.ExpireTokens();
        await WaitAsync(async () => await InboxAsync(db) == Messages - 1, TimeSpan.FromSeconds(30));
        Assert.Equal(served + 1, api.MimeServed);
        Assert.Equal(Messages + 1, await ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM messages"));
        again.Kill();
        await again.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private Task<(int, string, string)> AddAsync(Dictionary<string, string> environment) =>
        OidcProvider.RunDeviceFlowAsync(["--data", _data, "account", "add", "--graph", "--oauth", OidcProvider.Name, "--user", Address, "--json"], environment, Ct);

    private static Task<long> InboxAsync(SqliteConnection db) =>
        ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM folder_memberships fm JOIN folders f ON f.id = fm.folder_id WHERE f.path = 'Inbox'");
}
