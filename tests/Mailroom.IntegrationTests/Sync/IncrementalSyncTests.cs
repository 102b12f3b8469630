using Mailroom.Core.Sync;
using Mailroom.IntegrationTests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Mailroom.IntegrationTests.Sync;

/// <summary>
/// Re-syncs against live Dovecot that cost what changed, not what the folder holds: QRESYNC against CONDSTORE alone,
/// a renamed folder recognized without downloads, and NOTIFY following a folder other than INBOX.
/// </summary>
public sealed class IncrementalSyncTests
{
    private const string User = "mr11";

    [Theory]
    [InlineData(true, SyncPlanKind.QResyncChanges, 0)]
    [InlineData(false, SyncPlanKind.CondStoreChanges, 1)]
    public async Task Changes_are_found_without_listing_the_folder_when_qresync_is_on(bool quickResync, SyncPlanKind plan, int listings)
    {
        await ImapLoader.ResetInboxAsync(User, 300);
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite,
            new Dictionary<string, string?> { ["Imap:UseQuickResync"] = quickResync ? "true" : "false" });
        var mailbox = await host.AddDovecotAccountAsync(User);
        await host.Runner.RunAsync(mailbox, null, CancellationToken.None);

        await Doveadm.ExpungeAsync(User, "INBOX", "10:14");
        await Doveadm.AddFlagsAsync(User, "INBOX", "20:22", "\\Flagged");
        await Doveadm.SaveAsync(User, "INBOX", TestMessages.Numbered(900));
        await Doveadm.SaveAsync(User, "INBOX", TestMessages.Numbered(901));
        var summary = await host.Runner.RunAsync(mailbox, null, CancellationToken.None);

        Assert.Equal(plan, summary.Plans["INBOX"]);
        Assert.Equal(2, summary.MessagesFetched);
        Assert.Equal(3, summary.FlagsUpdated);
        Assert.Equal(5, summary.MembershipsRemoved);
        // CONDSTORE alone cannot name expunges: it needs one UID SEARCH ALL; QRESYNC's VANISHED needs none.
        Assert.Equal(listings, host.Runner.LastCounters!.FolderListings);
        await StoreAssert.MatchesServerAsync(host.Messages, mailbox.Id, await ServerSnapshot.ReadAsync(User, User + "pass", ["INBOX"]));
    }

    [Fact]
    public async Task A_renamed_folder_is_recognized_without_downloading_its_messages_again()
    {
        await ImapLoader.ResetInboxAsync(User, 5);
        await Doveadm.CreateFolderAsync(User, "Projects");
        await ImapLoader.AppendAsync(User, "Projects", Enumerable.Range(100, 40).Select(n => TestMessages.Numbered(n)), "\\Seen");
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite);
        var mailbox = await host.AddDovecotAccountAsync(User);
        await host.Runner.RunAsync(mailbox, null, CancellationToken.None);
        var before = await StoreAssert.DescribeAsync(host.Messages, mailbox.Id);

        await Doveadm.RenameFolderAsync(User, "Projects", "Clients");
        var summary = await host.Runner.RunAsync(mailbox, null, CancellationToken.None);

        Assert.Equal(1, summary.FoldersRemoved);
        // All but the malformed message without a Message-ID (number 124), which is downloaded again.
        Assert.Equal(39, summary.MessagesRecognized);
        Assert.Equal(1, host.Runner.LastCounters!.BodiesFetched);
        var folders = (await host.Messages.ListFoldersAsync(mailbox.Id, CancellationToken.None)).Select(f => f.Path).ToList();
        Assert.Contains("Clients", folders);
        Assert.DoesNotContain("Projects", folders);
        Assert.Equal(before["#distinct messages"], (await StoreAssert.DescribeAsync(host.Messages, mailbox.Id))["#distinct messages"]);
        await StoreAssert.MatchesServerAsync(host.Messages, mailbox.Id, await ServerSnapshot.ReadAsync(User, User + "pass", ["INBOX", "Clients"]));
    }

    [Fact]
    public async Task With_notify_mail_filed_into_another_folder_is_stored_within_seconds()
    {
        await ImapLoader.ResetInboxAsync(User, 3);
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite);
        var mailbox = await host.AddDovecotAccountAsync(User);
        // Polling every 30 minutes: anything seen sooner in Archive was announced by NOTIFY.
        var worker = host.NewWorker(mailbox, new MailboxWorkerOptions { PollInterval = TimeSpan.FromMinutes(30), SweepInterval = TimeSpan.FromMinutes(30) });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = worker.RunAsync(stop.Token);
        await WaitForAsync(host, mailbox.Id, "INBOX", 3);

        using (var other = new ImapClient())
        {
            await other.ConnectAsync(LiveServers.Host, LiveServers.ImapPort, SecureSocketOptions.None, TestContext.Current.CancellationToken);
            await other.AuthenticateAsync(User, User + "pass", TestContext.Current.CancellationToken);
            var archive = await other.GetFolderAsync("Archive", TestContext.Current.CancellationToken);
            var message = await MimeKit.MimeMessage.LoadAsync(new MemoryStream(TestMessages.Numbered(50)), TestContext.Current.CancellationToken);
            await archive.AppendAsync(new AppendRequest(message, MessageFlags.None), TestContext.Current.CancellationToken);
            await other.DisconnectAsync(true, TestContext.Current.CancellationToken);
        }
        await WaitForAsync(host, mailbox.Id, "Archive", 1);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await StoreAssert.MatchesServerAsync(host.Messages, mailbox.Id, await ServerSnapshot.ReadAsync(User, User + "pass", ["INBOX", "Archive"]));
    }

    private static async Task WaitForAsync(MailroomTestHost host, long mailboxId, string path, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var folder = (await host.Messages.ListFoldersAsync(mailboxId, CancellationToken.None)).FirstOrDefault(f => f.Path == path);
            if (folder is not null && (await host.Messages.GetMembershipsAsync(folder.Id, CancellationToken.None)).Count == count)
                return;
            Assert.True(DateTime.UtcNow < deadline, $"{path} did not reach {count} messages in the store within 10 s");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
