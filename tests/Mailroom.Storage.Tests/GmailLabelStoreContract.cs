using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Storage.Tests;

/// <summary><see cref="IGmailLabelStore"/>'s promises, run against each provider by a subclass.</summary>
public abstract class GmailLabelStoreContract<TDatabase>(TDatabase database)
    where TDatabase : TestDatabase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IMessageStore Store => database.Messages;

    private IGmailLabelStore Labels => database.Services.GetRequiredService<IGmailLabelStore>();

    [Fact]
    public async Task Label_memberships_copy_all_mail_and_follow_adds_removes_and_flags()
    {
        var mailbox = await database.NewMailboxAsync();
        var allMail = await database.NewFolderAsync(mailbox.Id, "[Gmail]/All Mail", FolderRole.All);
        await Store.SaveMessagesAsync(allMail.Id,
            [TestMessages.Create(7, "seven@example.com", flags: MessageFlags.Seen), TestMessages.Create(8, "eight@example.com")], Ct);
        var inbox = await Labels.UpsertLabelFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox, "\\Inbox", Ct);
        var work = await Labels.UpsertLabelFolderAsync(mailbox.Id, "Work", FolderRole.None, "Work", Ct);

        // UID 9 is not in All Mail: nothing to copy.
        await Labels.ApplyLabelChangesAsync(allMail.Id,
            [new(inbox.Id, 7), new(work.Id, 7), new(work.Id, 8), new(work.Id, 9)], [], Ct);
        var inAllMail = await database.Inspector.ListFolderMessagesAsync(allMail.Id, Ct);
        var inWork = await database.Inspector.ListFolderMessagesAsync(work.Id, Ct);
        Assert.Equal(inAllMail.Select(m => (m.Uid, m.MessageId, m.Flags, m.RawSha256)), inWork.Select(m => (m.Uid, m.MessageId, m.Flags, m.RawSha256)));
        var labels = await Labels.GetLabelsAsync(mailbox.Id, Ct);
        Assert.Equal(["Work", "\\Inbox"], labels[7].Order(StringComparer.Ordinal));
        Assert.Equal(["Work"], labels[8]);
        var totals = await database.Inspector.GetTotalsAsync(mailbox.Id, Ct);
        Assert.Equal(2, totals.Messages);
        Assert.Equal(5, totals.Memberships);

        // Applying the same adds again changes nothing; a removal removes only that label membership.
        await Labels.ApplyLabelChangesAsync(allMail.Id, [new(inbox.Id, 7)], [new(work.Id, 7)], Ct);
        labels = await Labels.GetLabelsAsync(mailbox.Id, Ct);
        Assert.Equal(["\\Inbox"], labels[7]);
        Assert.Equal(4, (await database.Inspector.GetTotalsAsync(mailbox.Id, Ct)).Memberships);

        // Flags changed in All Mail reach the label memberships of the same UID.
        await Store.UpdateFlagsAsync(allMail.Id, [new RemoteMessageState(8, MessageFlags.Flagged, ["$Work"])], Ct);
        await Labels.MirrorFlagsAsync(mailbox.Id, allMail.Id, Ct);
        var eight = Assert.Single(await database.Inspector.ListFolderMessagesAsync(work.Id, Ct));
        Assert.Equal((MessageFlags.Flagged, "$Work"), (eight.Flags, string.Join(' ', eight.Keywords)));
        Assert.Equal(MessageFlags.Seen, Assert.Single(await database.Inspector.ListFolderMessagesAsync(inbox.Id, Ct)).Flags);

        // A new UIDVALIDITY in All Mail empties every label folder.
        await Labels.ClearLabelMembershipsAsync(mailbox.Id, Ct);
        Assert.Empty(await Labels.GetLabelsAsync(mailbox.Id, Ct));
        Assert.Equal(2, (await database.Inspector.GetTotalsAsync(mailbox.Id, Ct)).Memberships);
    }

    [Fact]
    public async Task A_folder_that_becomes_a_label_drops_the_uids_it_had_of_its_own()
    {
        var mailbox = await database.NewMailboxAsync();
        var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox);
        await Store.SaveMessagesAsync(inbox.Id, [TestMessages.Create(1, "one@example.com")], Ct);

        var label = await Labels.UpsertLabelFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox, "\\Inbox", Ct);
        var again = await Labels.UpsertLabelFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox, "\\Inbox", Ct);

        Assert.Equal(inbox.Id, label.Id);
        Assert.Equal(label, again);
        Assert.Empty(await database.Inspector.ListFolderMessagesAsync(inbox.Id, Ct));
    }

    [Fact]
    public async Task The_server_count_of_the_last_checkpoint_is_read_back()
    {
        var mailbox = await database.NewMailboxAsync();
        var allMail = await database.NewFolderAsync(mailbox.Id, "[Gmail]/All Mail", FolderRole.All);
        Assert.Null(await Labels.GetRemoteCountAsync(allMail.Id, Ct));

        await Store.CompleteFolderSyncAsync(allMail.Id, new FolderStatus(11, 1210, 41234, 67), TestDatabase.Start, Ct);

        Assert.Equal(67, await Labels.GetRemoteCountAsync(allMail.Id, Ct));
        var stored = Assert.Single(await Store.ListFoldersAsync(mailbox.Id, Ct));
        Assert.Equal((11u, 1210u, 41234ul), (stored.UidValidity!.Value, stored.UidNext!.Value, stored.HighestModSeq!.Value));
    }
}
