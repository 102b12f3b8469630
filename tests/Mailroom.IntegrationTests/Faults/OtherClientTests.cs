using Mailroom.Core.Sync;
using Mailroom.IntegrationTests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Mailroom.IntegrationTests.Faults;

/// <summary>Another client changes the mailbox while Mailroom is offline and while it idles.</summary>
[Collection(typeof(ServerFaultCollection))]
public sealed class OtherClientTests
{
    private const string User = "mr6";

    [Fact]
    public async Task Moves_flags_and_expunges_by_another_client_are_reflected_without_duplicates()
    {
        await ImapLoader.ResetInboxAsync(User, 20);
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite);
        var mailbox = await host.AddDovecotAccountAsync(User);
        await host.Runner.RunAsync(mailbox, null, CancellationToken.None);
        var folders = (await host.Messages.ListFoldersAsync(mailbox.Id, CancellationToken.None)).ToDictionary(f => f.Path);
        var movedId = (await host.Messages.GetMembershipsAsync(folders["INBOX"].Id, CancellationToken.None))[5].MessageId;
        var before = await StoreAssert.DescribeAsync(host.Messages, mailbox.Id);

        // Offline: another client moves UID 5 to Archive and expunges UID 6.
        using (var other = await ConnectAsync())
        {
            var inbox = other.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadWrite, TestContext.Current.CancellationToken);
            await inbox.MoveToAsync(new UniqueId(5), await other.GetFolderAsync("Archive", TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
            await inbox.AddFlagsAsync(new UniqueId(6), MessageFlags.Deleted, true, TestContext.Current.CancellationToken);
            await inbox.ExpungeAsync(TestContext.Current.CancellationToken);
            await other.DisconnectAsync(true, TestContext.Current.CancellationToken);
        }
        await host.Runner.RunAsync(mailbox, null, CancellationToken.None);
        var archive = await host.Messages.GetMembershipsAsync(folders["Archive"].Id, CancellationToken.None);
        Assert.Equal(movedId, Assert.Single(archive).Value.MessageId);
        var after = await StoreAssert.DescribeAsync(host.Messages, mailbox.Id);
        Assert.Equal("20", before["#distinct messages"]);
        Assert.Equal("19", after["#distinct messages"]);

        // Live: while the worker idles, another client flags a message; the store follows within seconds.
        var worker = host.NewWorker(mailbox, new MailboxWorkerOptions { PollInterval = TimeSpan.FromMinutes(30) });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = worker.RunAsync(stop.Token);
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        using (var other = await ConnectAsync())
        {
            await other.Inbox.OpenAsync(FolderAccess.ReadWrite, TestContext.Current.CancellationToken);
            await other.Inbox.AddFlagsAsync(new UniqueId(1), MessageFlags.Flagged, true, TestContext.Current.CancellationToken);
            await other.DisconnectAsync(true, TestContext.Current.CancellationToken);
        }
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await host.Messages.GetMembershipsAsync(folders["INBOX"].Id, CancellationToken.None))[1].Flags
               .HasFlag(Core.Connectors.MessageFlags.Flagged) == false)
        {
            Assert.True(DateTime.UtcNow < deadline, "the flag change did not reach the store within 15 s");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await StoreAssert.MatchesServerAsync(host.Messages, mailbox.Id, await ServerSnapshot.ReadAsync(User, User + "pass", ["INBOX", "Archive"]));
    }

    [Fact]
    public async Task A_new_uidvalidity_re_matches_messages_without_duplicates_or_losses()
    {
        await ImapLoader.ResetInboxAsync(User, 30);
        await ImapLoader.AppendAsync(User, "Sent", Enumerable.Range(5, 3).Select(n => TestMessages.Numbered(n)));
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite);
        var mailbox = await host.AddDovecotAccountAsync(User);
        await host.Runner.RunAsync(mailbox, null, CancellationToken.None);
        var before = await StoreAssert.DescribeAsync(host.Messages, mailbox.Id);

        await Doveadm.SetUidValidityAsync(User, "INBOX", 4242);
        var summary = await host.Runner.RunAsync(mailbox, null, CancellationToken.None);

        Assert.Equal(SyncPlanKind.UidValidityReset, summary.Plans["INBOX"]);
        Assert.Equal(1, summary.UidValidityResets);
        // Messages are recognized from their Message-ID and size, so their bodies are not downloaded again; only
        // the malformed one without a Message-ID (number 24) is.
        Assert.Equal(29, summary.MessagesRecognized);
        Assert.Equal(1, host.Runner.LastCounters!.BodiesFetched);
        var after = await StoreAssert.DescribeAsync(host.Messages, mailbox.Id);
        Assert.Equal(before["#distinct messages"], after["#distinct messages"]);
        Assert.Equal(before.Count, after.Count);
        var inbox = (await host.Messages.ListFoldersAsync(mailbox.Id, CancellationToken.None)).Single(f => f.Path == "INBOX");
        Assert.Equal(4242u, inbox.UidValidity);
        await StoreAssert.MatchesServerAsync(host.Messages, mailbox.Id, await ServerSnapshot.ReadAsync(User, User + "pass", ["INBOX", "Sent"]));
    }

    private static async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync(LiveServers.Host, LiveServers.ImapPort, SecureSocketOptions.None, TestContext.Current.CancellationToken);
        await client.AuthenticateAsync(User, User + "pass", TestContext.Current.CancellationToken);
        return client;
    }
}
