using Mailroom.Core.Sync;

namespace Mailroom.Core.Tests.Sync;

public sealed class FolderRoleNamesTests
{
    [Theory]
    [InlineData("INBOX", null, FolderRole.Inbox)]
    [InlineData("inbox", null, FolderRole.Inbox)]
    [InlineData("Sent", '/', FolderRole.Sent)]
    [InlineData("Sent Items", '/', FolderRole.Sent)]
    [InlineData("[Gmail]/Sent Mail", '/', FolderRole.Sent)]
    [InlineData("INBOX.Отправленные", '.', FolderRole.Sent)]
    [InlineData("Gesendete Elemente", '/', FolderRole.Sent)]
    [InlineData("Éléments envoyés", '/', FolderRole.Sent)]
    [InlineData("Enviados", '/', FolderRole.Sent)]
    [InlineData("送信済みアイテム", '/', FolderRole.Sent)]
    [InlineData("Brouillons", '/', FolderRole.Drafts)]
    [InlineData("Черновики", '/', FolderRole.Drafts)]
    [InlineData("Deleted Items", '/', FolderRole.Trash)]
    [InlineData("Корзина", '/', FolderRole.Trash)]
    [InlineData("Papierkorb", '/', FolderRole.Trash)]
    [InlineData("Junk E-mail", '/', FolderRole.Junk)]
    [InlineData("Спам", '/', FolderRole.Junk)]
    [InlineData("Archive", '/', FolderRole.Archive)]
    [InlineData("[Gmail]/All Mail", '/', FolderRole.All)]
    [InlineData("Projects/Sent ideas", '/', FolderRole.None)]
    [InlineData("Sent/Projects", '/', FolderRole.None)]
    [InlineData("Receipts", '/', FolderRole.None)]
    public void Guess_reads_the_role_from_the_last_path_segment(string path, char? delimiter, FolderRole expected) =>
        Assert.Equal(expected, FolderRoleNames.Guess(path, delimiter));
}
