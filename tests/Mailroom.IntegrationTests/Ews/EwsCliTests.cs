using System.Globalization;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.TestSupport.Ews;
using Microsoft.Data.Sqlite;
using static Mailroom.IntegrationTests.Infrastructure.SqliteProbe;

namespace Mailroom.IntegrationTests.Ews;

/// <summary>
/// EWS through the <c>mailroom</c> binary against the fake EWS: <c>account add --ews URL --user U --password-stdin</c>
/// (a wrong password refused first), <c>serve</c> killed with SIGKILL in the middle of the first sync and started again
/// (resumes, nothing doubled or downloaded twice), then a read flag, a move and a delete picked up by the poll
/// (Ews:PollInterval), an invalid sync state reconciled while serving, and a message sent with <c>mailroom send</c> whose
/// Sent copy (filed by Exchange) is synced once.
/// </summary>
public sealed class EwsCliTests : IDisposable
{
    private const int Messages = 1200;
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-ewscli-");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => TestArtifacts.DeleteFolder(_data);

    [Fact]
    public async Task Account_add_serve_kill_9_resume_then_changes_an_invalid_state_and_a_send_while_serving()
    {
        var mailbox = new FakeEwsMailbox();
        var inbox = mailbox.FolderId("inbox");
        var ids = Enumerable.Range(1, Messages).Select(n => mailbox.Deliver(inbox, EwsSyncTests.Raw(n), conversationId: "c" + n.ToString(CultureInfo.InvariantCulture))).ToList();
        await using var server = await FakeEwsServer.StartAsync(mailbox, EwsSyncTests.User, EwsSyncTests.Password, Ct);
        var environment = new Dictionary<string, string>
        {
            ["MAILROOM__Ews__PollInterval"] = "00:00:01",
            ["MAILROOM__Ews__RetryInitial"] = "00:00:00.050",
            ["MAILROOM__Ews__MaxChangesReturned"] = "100",
            ["MAILROOM__Ews__GetItemBatchSize"] = "20",
            ["MAILROOM__Sync__BatchSize"] = "20",
        };

        string[] Add(string name) => ["--data", _data, "account", "add", EwsSyncTests.Address, "--ews", server.Url.ToString(), "--auth", "basic",
            "--user", EwsSyncTests.User, "--password-stdin", "--ca-file", FakeEwsServer.TestCa!, "--name", name, "--json"];
        var wrong = await MailroomProcess.RunAsync(Add("wrong"), stdin: "not-the-password\n", environment: environment);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("401", wrong.Stderr + wrong.Stdout, StringComparison.Ordinal);
        var (code, stdout, stderr) = await MailroomProcess.RunAsync(Add("exchange"), stdin: EwsSyncTests.Password + "\n", environment: environment);
        Assert.True(code == 0, stderr);
        Assert.Contains("\"protocol\": \"ews\"", stdout, StringComparison.Ordinal);
        Assert.Contains("\"authentication\": \"basic\"", stdout, StringComparison.Ordinal);

        // First sync, slowed down so that it is still running when the process is killed.
        server.Delay = TimeSpan.FromMilliseconds(30);
        var serve = MailroomProcess.Start(["--data", _data, "serve", "--urls", "http://127.0.0.1:0"], environment: environment);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(_data, "mailroom.db")};Pooling=false");
        await WaitAsync(async () => await ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM messages") >= 200, TimeSpan.FromSeconds(120));
        serve.Kill();
        await serve.WaitAsync(TimeSpan.FromSeconds(10));
        var beforeKill = await ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM messages");
        Assert.InRange(beforeKill, 200, Messages - 1);

        server.Delay = TimeSpan.Zero;
        using var again = MailroomProcess.Start(["--data", _data, "serve", "--urls", "http://127.0.0.1:0"], environment: environment);
        await WaitAsync(async () => await InboxAsync(db) == Messages, TimeSpan.FromSeconds(120));
        Assert.Equal(Messages, await ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM messages"));
        // Resumed: what was stored before the kill was not downloaded again (at most the batches in flight were).
        Assert.True(server.MimeServed < Messages + 100, $"{server.MimeServed} messages served for {Messages}");

        // Changes while serving, picked up by the next poll.
        mailbox.SetRead(ids[0], true);
        var moved = mailbox.Move(ids[1], mailbox.FolderId("archive"));
        mailbox.Delete(ids[2]);
        await WaitAsync(async () => await InboxAsync(db) == Messages - 2
            && await ScalarOfProcessAsync(db, $"SELECT COUNT(*) FROM folder_memberships WHERE remote_id = '{moved}'") == 1
            && await ScalarOfProcessAsync(db, $"SELECT COUNT(*) FROM folder_memberships WHERE remote_id = '{ids[0]}' AND (flags & 1) = 1") == 1,
            TimeSpan.FromSeconds(30));
        Assert.Equal(Messages, await ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM messages"));

        // Exchange forgets every sync state: the reconcile downloads only the new message.
        var served = server.MimeServed;
        mailbox.Deliver(inbox, EwsSyncTests.Raw(Messages + 1));
        mailbox.InvalidateSyncStates();
        await WaitAsync(async () => await InboxAsync(db) == Messages - 1, TimeSpan.FromSeconds(30));
        Assert.Equal(served + 1, server.MimeServed);
        Assert.Equal(Messages + 1, await ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM messages"));

        // Send: CreateItem with SendAndSaveCopy; Exchange files the copy, which sync stores once; the same key sends nothing twice.
        string[] send = ["--data", _data, "send", "--account", "exchange", "--to", "someone@example.net", "--subject", "Through EWS",
                         "--text", "Sent with CreateItem.", "--idempotency-key", "ews-1", "--wait"];
        var sent = await MailroomProcess.RunAsync(send, environment: environment);
        Assert.True(sent.ExitCode == 0, sent.Stdout + sent.Stderr);
        var resent = await MailroomProcess.RunAsync(send, environment: environment);
        Assert.True(resent.ExitCode == 0, resent.Stdout + resent.Stderr);
        Assert.Contains("Already queued as", resent.Stdout, StringComparison.Ordinal);
        Assert.Single(server.Sent);
        await WaitAsync(async () => await ScalarOfProcessAsync(db,
            "SELECT COUNT(*) FROM folder_memberships fm JOIN folders f ON f.id = fm.folder_id WHERE f.path = 'Gesendete Elemente'") == 1, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2), Ct); // two more polls: still one copy
        Assert.Equal(1, await ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM messages WHERE subject = 'Through EWS'"));
        Assert.Equal(1, await ScalarOfProcessAsync(db,
            "SELECT COUNT(*) FROM folder_memberships fm JOIN messages m ON m.id = fm.message_id WHERE m.subject = 'Through EWS'"));
        Assert.Empty(server.Problems);
        again.Kill();
        await again.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static Task<long> InboxAsync(SqliteConnection db) => ScalarOfProcessAsync(db,
        "SELECT COUNT(*) FROM folder_memberships fm JOIN folders f ON f.id = fm.folder_id WHERE f.path = 'Posteingang'");
}
