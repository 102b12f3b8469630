using Mailroom.Core.Connectors;
using Mailroom.Core.Sync;
using Mailroom.Core.Sync.Gmail;

namespace Mailroom.Core.Tests.Sync.Gmail;

public sealed class GmailLabelFoldersTests
{
    // The folders of the XLIST recorded from Gmail (MailKit's gmail/xlist.txt), with the roles the connector gives them.
    private static readonly RemoteFolder AllMail = new("[Gmail]/All Mail", '/', FolderRole.All, true);

    private static readonly RemoteFolder[] Listed =
    [
        new("INBOX", '/', FolderRole.Inbox, true),
        new("[Gmail]", '/', FolderRole.None, false),
        AllMail,
        new("[Gmail]/Drafts", '/', FolderRole.Drafts, true),
        new("[Gmail]/Important", '/', FolderRole.None, true),
        new("[Gmail]/Sent Mail", '/', FolderRole.Sent, true),
        new("[Gmail]/Spam", '/', FolderRole.Junk, true),
        new("[Gmail]/Starred", '/', FolderRole.Flagged, true),
        new("[Gmail]/Trash", '/', FolderRole.Trash, true),
        new("Work/Hiring", '/', FolderRole.None, true),
    ];

    [Theory]
    [InlineData("\\Inbox", "INBOX", FolderRole.Inbox)]
    [InlineData("\\Sent", "[Gmail]/Sent Mail", FolderRole.Sent)]
    [InlineData("\\Draft", "[Gmail]/Drafts", FolderRole.Drafts)]
    [InlineData("\\Starred", "[Gmail]/Starred", FolderRole.Flagged)]
    [InlineData("\\Important", "[Gmail]/Important", FolderRole.None)]
    [InlineData("Work/Hiring", "Work/Hiring", FolderRole.None)]
    [InlineData("Test Messages", "Test Messages", FolderRole.None)]
    [InlineData("\\Unknown", "\\Unknown", FolderRole.None)]
    public void Label_resolves_to_its_folder(string label, string path, FolderRole role)
    {
        Assert.Equal((path, role), GmailLabelFolders.Resolve(label, Listed, AllMail));
    }

    [Fact]
    public void Localized_gmail_folders_are_found_by_role()
    {
        RemoteFolder allMail = new("[Google Mail]/Alle Nachrichten", '/', FolderRole.All, true);
        RemoteFolder[] listed = [allMail, new("[Google Mail]/Gesendet", '/', FolderRole.Sent, true)];

        Assert.Equal(("[Google Mail]/Gesendet", FolderRole.Sent), GmailLabelFolders.Resolve("\\Sent", listed, allMail));
    }
}
