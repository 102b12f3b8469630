using Mailroom.Core.Sync;
using Mailroom.IntegrationTests.Infrastructure;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Mailroom.IntegrationTests.Sync;

/// <summary>A complete IMAP sync against the live Dovecot, on SQLite and on PostgreSQL.</summary>
public sealed class ImapFullSyncTests
{
    [Fact]
    public Task Full_sync_stores_every_message_once_per_folder_on_sqlite() => FullSyncScenarioAsync(Database.Sqlite, "mr1");

    [Fact]
    public Task Full_sync_stores_every_message_once_per_folder_on_postgres() => FullSyncScenarioAsync(Database.Postgres, "mr2");

    private static async Task FullSyncScenarioAsync(Database database, string user)
    {
        LiveServers.RequireDovecot();
        if (database == Database.Postgres)
            LiveServers.RequirePostgres();
        await Doveadm.ResetUserAsync(user);
        var separator = await SeparatorAsync(user);
        var sent = "Отправленные";
        var nested = $"Projects{separator}Hiring{separator}2026";

        await Doveadm.CreateFolderAsync(user, sent);
        await Doveadm.CreateFolderAsync(user, nested);
        var to = $"{user}@mailroom.test";
        await ImapLoader.AppendAsync(user, "INBOX", Enumerable.Range(0, 120).Select(n => TestMessages.Numbered(n, to)));
        await ImapLoader.AppendAsync(user, sent, Enumerable.Range(1000, 30).Select(n => TestMessages.Numbered(n)), "\\Seen");
        await ImapLoader.AppendAsync(user, nested, Enumerable.Range(2000, 10).Select(n => TestMessages.Numbered(n)));
        await ImapLoader.AppendAsync(user, "Junk", Enumerable.Range(3000, 5).Select(n => TestMessages.Numbered(n)));
        // The same message filed twice is one message with two memberships.
        await ImapLoader.AppendAsync(user, nested, [TestMessages.Numbered(7, to)]);
        await Doveadm.AddFlagsAsync(user, "INBOX", 3, "\\Flagged");
        await Doveadm.AddFlagsAsync(user, "INBOX", 4, "\\Seen \\Answered");

        await using var host = await MailroomTestHost.StartAsync(database);
        var mailbox = await host.AddDovecotAccountAsync(user);
        string[] synced = ["INBOX", sent, nested, "Sent", "Drafts", "Archive"];

        var first = await host.Runner.RunAsync(mailbox, null, CancellationToken.None);
        Assert.Empty(first.FolderErrors);
        Assert.Equal(161, first.MessagesFetched);
        await StoreAssert.MatchesServerAsync(host.Messages, mailbox.Id, await ServerSnapshot.ReadAsync(user, user + "pass", synced));

        var folders = (await host.Messages.ListFoldersAsync(mailbox.Id, CancellationToken.None)).ToDictionary(f => f.Path);
        Assert.Equal(FolderRole.Sent, folders[sent].Role);
        Assert.Equal(FolderRole.Inbox, folders["INBOX"].Role);
        Assert.False(folders.ContainsKey("Junk"), "Junk is not synced by default");
        Assert.False(folders.ContainsKey("Trash"), "Trash is not synced by default");
        var inbox = await host.Messages.GetMembershipsAsync(folders["INBOX"].Id, CancellationToken.None);
        var copy = await host.Messages.GetMembershipsAsync(folders[nested].Id, CancellationToken.None);
        Assert.Equal(inbox[8].MessageId, copy.Values.Single(m => m.RawSha256 == inbox[8].RawSha256).MessageId);

        // A second run fetches no body and changes nothing.
        var before = await StoreAssert.DescribeAsync(host.Messages, mailbox.Id);
        var second = await host.Runner.RunAsync(mailbox, null, CancellationToken.None);
        Assert.Equal(0, second.MessagesFetched);
        Assert.Equal(0, host.Runner.LastCounters!.BodiesFetched);
        Assert.Equal(SyncPlanKind.NothingToDo, second.Plans["INBOX"]);
        Assert.Equal(before, await StoreAssert.DescribeAsync(host.Messages, mailbox.Id));

        // Changes on the server: a flag, an expunge, a new message. Only the new body is fetched.
        await Doveadm.AddFlagsAsync(user, "INBOX", 10, "\\Flagged");
        await Doveadm.ExpungeAsync(user, "INBOX", 11);
        await Doveadm.SaveAsync(user, "INBOX", TestMessages.Numbered(500));
        var third = await host.Runner.RunAsync(mailbox, null, CancellationToken.None);
        Assert.Equal(1, third.MessagesFetched);
        Assert.Equal(1, host.Runner.LastCounters!.BodiesFetched);
        Assert.Equal(1, third.FlagsUpdated);
        Assert.Equal(1, third.MembershipsRemoved);
        // QRESYNC: the flag, the arrival and the expunge all come from one UID FETCH CHANGEDSINCE ... VANISHED.
        Assert.Equal(SyncPlanKind.QResyncChanges, third.Plans["INBOX"]);
        Assert.Equal(0, host.Runner.LastCounters!.FolderListings);
        await StoreAssert.MatchesServerAsync(host.Messages, mailbox.Id, await ServerSnapshot.ReadAsync(user, user + "pass", synced));
    }

    private static async Task<char> SeparatorAsync(string user)
    {
        using var client = new ImapClient();
        await client.ConnectAsync(LiveServers.Host, LiveServers.ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(user, user + "pass");
        var separator = client.PersonalNamespaces[0].DirectorySeparator;
        await client.DisconnectAsync(true);
        return separator;
    }
}
