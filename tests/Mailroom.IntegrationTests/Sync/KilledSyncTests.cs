using Mailroom.IntegrationTests.Infrastructure;

namespace Mailroom.IntegrationTests.Sync;

/// <summary>A sync process killed part-way, then run again, ends exactly where an uninterrupted sync ends.</summary>
public sealed class KilledSyncTests
{
    private const string User = "mr3";

    [Fact]
    public async Task Sync_killed_part_way_and_rerun_equals_an_uninterrupted_sync()
    {
        LiveServers.RequireDovecot();
        await Doveadm.ResetUserAsync(User);
        await ImapLoader.AppendAsync(User, "INBOX", Enumerable.Range(0, 2500).Select(n => TestMessages.Numbered(n)), "\\Seen");
        await ImapLoader.AppendAsync(User, "Sent", Enumerable.Range(5000, 300).Select(n => TestMessages.Numbered(n)));

        // A slow link (no cuts): the sync takes seconds, so the kill lands part-way even on a loaded machine.
        await using var slow = new CuttingProxy(LiveServers.ImapPort, maxCuts: 0, minBytes: 1, maxBytes: 2, bytesPerSecond: 150_000);
        var data = TestArtifacts.CreateDataFolder("mailroom-kill-");
        string[] common = ["--data", data];
        var add = await MailroomProcess.RunAsync(
            [.. common, "account", "add", "--imap", $"{LiveServers.Host}:{slow.Port}", "--user", User,
             "--password-stdin", "--security", "starttls", "--ca-file", LiveServers.CaFile!, "--name", "killed"],
            stdin: User + "pass\n");
        Assert.True(add.ExitCode == 0, add.Stderr);

        // Small batches: many checkpoints, so the kill lands between two of them.
        var environment = new Dictionary<string, string> { ["MAILROOM__Sync__BatchSize"] = "50" };
        await using (var watcher = await MailroomTestHost.StartAsync(Database.Sqlite, dataPath: data))
        {
            using var sync = MailroomProcess.Start([.. common, "sync", "killed", "--quiet"], environment: environment);
            var mailbox = (await watcher.Accounts.FindMailboxAsync("killed", CancellationToken.None))!;
            var stored = 0;
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (stored < 400 && !sync.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20, TestContext.Current.CancellationToken);
                stored = await CountAsync(watcher, mailbox.Id);
            }
            Assert.False(sync.HasExited, "the sync finished before it could be killed; the test proves nothing");
            sync.Kill();
            await sync.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
            stored = await CountAsync(watcher, mailbox.Id);
            Assert.InRange(stored, 400, 2799);
        }

        var resumed = await MailroomProcess.RunAsync([.. common, "sync", "killed", "--json"]);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);

        await using var interrupted = await MailroomTestHost.StartAsync(Database.Sqlite, dataPath: data);
        var killedMailbox = (await interrupted.Accounts.FindMailboxAsync("killed", CancellationToken.None))!;
        await using var clean = await MailroomTestHost.StartAsync(Database.Sqlite);
        var cleanMailbox = await clean.AddDovecotAccountAsync(User);
        await clean.Runner.RunAsync(cleanMailbox, null, CancellationToken.None);

        Assert.Equal(
            await StoreAssert.DescribeAsync(clean.Messages, cleanMailbox.Id),
            await StoreAssert.DescribeAsync(interrupted.Messages, killedMailbox.Id));
        await StoreAssert.MatchesServerAsync(interrupted.Messages, killedMailbox.Id,
            await ServerSnapshot.ReadAsync(User, User + "pass", ["INBOX", "Sent"]));
    }

    private static async Task<int> CountAsync(MailroomTestHost host, long mailboxId)
    {
        var total = 0;
        foreach (var folder in await host.Messages.ListFoldersAsync(mailboxId, CancellationToken.None))
            total += (await host.Messages.GetMembershipsAsync(folder.Id, CancellationToken.None)).Count;
        return total;
    }
}
