using Mailroom.Core.Accounts;
using Mailroom.Core.Sync;
using Mailroom.IntegrationTests.Infrastructure;

namespace Mailroom.IntegrationTests.Pop3;

/// <summary>
/// POP3 sync against the live Dovecot (user mr9, whose maildrop only these tests touch; one class, so they run one
/// after another): incremental by UIDL, bodies only for new messages, and nothing ever deleted on the server.
/// </summary>
public sealed class Pop3SyncTests
{
    private const string User = Pop3Server.User;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Sync_is_incremental_by_uidl_and_never_deletes_on_the_server(string database)
    {
        await ImapLoader.ResetInboxAsync(User, 30);
        await using var host = await MailroomTestHost.StartAsync(database == "postgres" ? Database.Postgres : Database.Sqlite);
        var mailbox = await Pop3Server.AddAccountAsync(host);
        var token = TestContext.Current.CancellationToken;

        // First run: every message once, no TOP (nothing stored could match).
        var first = await host.Runner.RunAsync(mailbox, null, token);
        Assert.Equal(30, first.MessagesFetched);
        Assert.Equal(30, host.Runner.LastCounters!.BodiesFetched);
        Assert.Equal(0, host.Runner.LastCounters.HeadersFetched);
        await Pop3Server.AssertStoreMatchesServerAsync(host, mailbox.Id);

        // No change: not one RETR, not one TOP.
        var second = await host.Runner.RunAsync(mailbox, null, token);
        Assert.Equal(0, second.MessagesFetched);
        Assert.Equal(0, host.Runner.LastCounters.BodiesFetched);
        Assert.Equal(0, host.Runner.LastCounters.HeadersFetched);

        // Five new messages: those five, and only those, are retrieved.
        await ImapLoader.AppendAsync(User, "INBOX", Enumerable.Range(100, 5).Select(n => TestMessages.Numbered(n)));
        var third = await host.Runner.RunAsync(mailbox, null, token);
        Assert.Equal(5, third.MessagesFetched);
        Assert.Equal(5, host.Runner.LastCounters.BodiesFetched);
        await Pop3Server.AssertStoreMatchesServerAsync(host, mailbox.Id);
        var seen = (await Pop3Server.StoredAsync(host, mailbox.Id)).ByUidl;
        Assert.Equal(35, seen.Count);

        // Another client expunges three: their memberships go, nothing is downloaded.
        foreach (var uid in new uint[] { 2, 10, 33 })
            await Doveadm.ExpungeAsync(User, "INBOX", uid);
        var afterExpunge = await Pop3Server.UidlsAsync();
        var expunged = seen.Keys.Except(afterExpunge).ToList();
        Assert.Equal(3, expunged.Count);
        var fourth = await host.Runner.RunAsync(mailbox, null, token);
        Assert.Equal(3, fourth.MembershipsRemoved);
        Assert.Equal(0, host.Runner.LastCounters.BodiesFetched);
        await Pop3Server.AssertStoreMatchesServerAsync(host, mailbox.Id);

        // Nothing deleted by Mailroom: every message it saw, except the three the other client expunged, is on the server.
        var onServer = await Pop3Server.InboxShasAsync();
        Assert.Equal(32, onServer.Count);
        Assert.Equal(
            seen.Where(p => !expunged.Contains(p.Key)).Select(p => p.Value).Order(StringComparer.Ordinal),
            onServer);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Uidls_reassigned_by_the_server_are_matched_by_headers_without_downloading_again(string database)
    {
        await ImapLoader.ResetInboxAsync(User, 30);
        await using var host = await MailroomTestHost.StartAsync(database == "postgres" ? Database.Postgres : Database.Sqlite);
        var mailbox = await Pop3Server.AddAccountAsync(host, implicitTls: true);
        var token = TestContext.Current.CancellationToken;
        await host.Runner.RunAsync(mailbox, null, token);
        var before = await Pop3Server.StoredAsync(host, mailbox.Id);

        // The test Dovecot's UIDL is UID + UIDVALIDITY (pop3_uidl_format %08Xu%08Xv): a new UIDVALIDITY renames every one.
        await Doveadm.SetUidValidityAsync(User, "INBOX", 777);
        var renamed = await Pop3Server.UidlsAsync();
        Assert.Empty(renamed.Intersect(before.ByUidl.Keys));

        var summary = await host.Runner.RunAsync(mailbox, null, token);
        var counters = host.Runner.LastCounters!;
        Assert.Equal(30, counters.HeadersFetched);
        // Only message 24, the malformed one without a Message-ID, cannot be recognised from its headers.
        Assert.Equal(1, counters.BodiesFetched);
        Assert.Equal(30, summary.MembershipsRemoved);

        var after = await Pop3Server.StoredAsync(host, mailbox.Id);
        Assert.Equal(before.Messages, after.Messages); // no message row added
        Assert.Equal(before.ByUidl.Values.Order(StringComparer.Ordinal), after.ByUidl.Values.Order(StringComparer.Ordinal));
        await Pop3Server.AssertStoreMatchesServerAsync(host, mailbox.Id);
    }

    [Fact]
    public async Task A_sync_cancelled_part_way_resumes_without_duplicates_or_second_downloads()
    {
        await ImapLoader.ResetInboxAsync(User, 300);
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite, new Dictionary<string, string?> { ["Sync:BatchSize"] = "20" });
        var mailbox = await Pop3Server.AddAccountAsync(host);
        var token = TestContext.Current.CancellationToken;

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(token);
        var progress = new CancelAt(100, cancel);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Runner.RunAsync(mailbox, progress, cancel.Token));
        var kept = (await Pop3Server.StoredAsync(host, mailbox.Id)).ByUidl.Count;
        Assert.InRange(kept, 100, 299);

        var resumed = await host.Runner.RunAsync(mailbox, null, token);
        Assert.Equal(300 - kept, resumed.MessagesFetched);
        Assert.Equal(300 - kept, host.Runner.LastCounters!.BodiesFetched);
        var stored = await Pop3Server.StoredAsync(host, mailbox.Id);
        Assert.Equal(300, stored.ByUidl.Count);
        Assert.Equal(300, stored.Messages);
        await Pop3Server.AssertStoreMatchesServerAsync(host, mailbox.Id);
    }

    [Fact]
    public async Task Cli_adds_a_pop3_account_after_checking_the_login_and_syncs_it()
    {
        await ImapLoader.ResetInboxAsync(User, 12);
        var data = TestArtifacts.CreateDataFolder("mailroom-pop3-cli-");
        string[] add = [
            "--data", data, "account", "add", "--pop3", $"{LiveServers.Host}:{LiveServers.Pop3Port}", "--user", User,
            "--password-stdin", "--security", "starttls", "--ca-file", LiveServers.CaFile!, "--name", "pop"];

        var refused = await MailroomProcess.RunAsync(add, stdin: "wrong\n");
        Assert.Equal(4, refused.ExitCode);
        var both = await MailroomProcess.RunAsync([.. add, "--imap", "example.org"], stdin: Pop3Server.Password + "\n");
        Assert.Equal(2, both.ExitCode);

        var added = await MailroomProcess.RunAsync(add, stdin: Pop3Server.Password + "\n");
        Assert.True(added.ExitCode == 0, added.Stderr);
        Assert.Contains($"pop3 {LiveServers.Host}:{LiveServers.Pop3Port} starttls", added.Stdout, StringComparison.Ordinal);

        var sync = await MailroomProcess.RunAsync(["--data", data, "sync", "pop", "--quiet"]);
        Assert.True(sync.ExitCode == 0, sync.Stderr);
        Assert.Contains("RESULT {\"messages\": 12}", sync.Stdout, StringComparison.Ordinal);
        var again = await MailroomProcess.RunAsync(["--data", data, "sync", "pop", "--quiet"]);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("RESULT {\"messages\": 0}", again.Stdout, StringComparison.Ordinal);

        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite, dataPath: data);
        var mailbox = (await host.Accounts.FindMailboxAsync("pop", CancellationToken.None))!;
        Assert.Equal(MailboxProtocol.Pop3, mailbox.Protocol);
        await Pop3Server.AssertStoreMatchesServerAsync(host, mailbox.Id);
        Assert.Equal(12, (await Pop3Server.InboxShasAsync()).Count);
    }

    [Fact]
    public async Task Serve_polls_a_pop3_mailbox_and_brings_in_new_mail()
    {
        LiveServers.RequireDovecot();
        await Doveadm.ResetUserAsync(User);
        await Doveadm.SaveAsync(User, "INBOX", TestMessages.Numbered(1));
        var data = TestArtifacts.CreateDataFolder("mailroom-pop3-serve-");
        var added = await MailroomProcess.RunAsync(
            ["--data", data, "account", "add", "--pop3", $"{LiveServers.Host}:{LiveServers.Pop3sPort}", "--user", User,
             "--password-stdin", "--ca-file", LiveServers.CaFile!, "--name", "pop"],
            stdin: Pop3Server.Password + "\n");
        Assert.True(added.ExitCode == 0, added.Stderr);

        using var serve = MailroomProcess.Start(["--data", data, "serve", "--urls", "http://127.0.0.1:0"],
            environment: new Dictionary<string, string> { ["MAILROOM__Worker__PollInterval"] = "00:00:01" });
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite, dataPath: data);
        var mailbox = (await host.Accounts.FindMailboxAsync("pop", CancellationToken.None))!;
        await WaitForCountAsync(host, mailbox.Id, 1, serve);

        await Doveadm.SaveAsync(User, "INBOX", TestMessages.Numbered(2));
        await Doveadm.SaveAsync(User, "INBOX", TestMessages.Numbered(3));
        await WaitForCountAsync(host, mailbox.Id, 3, serve);
        await Pop3Server.AssertStoreMatchesServerAsync(host, mailbox.Id);
        Assert.Equal(MailboxState.Ok, (await host.Accounts.FindMailboxAsync("pop", CancellationToken.None))!.State);
    }

    private static async Task WaitForCountAsync(MailroomTestHost host, long mailboxId, int count, MailroomProcess serve)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await Pop3Server.StoredAsync(host, mailboxId)).ByUidl.Count < count)
        {
            Assert.False(serve.HasExited, "mailroom serve exited: " + (serve.HasExited ? (await serve.WaitAsync(TimeSpan.FromSeconds(5))).Stderr : ""));
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} messages in the store after 60 s");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Cancels the sync once that many messages are stored (reported on the caller's thread, at once).</summary>
    private sealed class CancelAt(int messages, CancellationTokenSource cancel) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value)
        {
            if (value.MessagesDone >= messages)
                cancel.Cancel();
        }
    }
}
