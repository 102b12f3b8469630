using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;

namespace Mailroom.Storage.Tests.Infrastructure;

/// <summary>Creates what a test needs in the shared database: its own organization, mailbox and folders.</summary>
public static class StoreScope
{
    public static async Task<MailboxRecord> NewMailboxAsync(this TestDatabase database, string? name = null)
    {
        var organization = await database.Accounts.EnsureOrganizationAsync("org-" + Guid.NewGuid().ToString("N"), CancellationToken.None);
        var settings = new MailboxSettings { Host = "imap.example.com", Port = 993, UserName = "alice" };
        return await database.Accounts.AddMailboxAsync(
            organization, name ?? "alice@example.com", MailboxProtocol.Imap, settings, "ciphertext", CancellationToken.None);
    }

    public static Task<StoredFolder> NewFolderAsync(this TestDatabase database, long mailboxId, string path, FolderRole role = FolderRole.None) =>
        database.Messages.UpsertFolderAsync(mailboxId, new RemoteFolder(path, '/', role, CanSelect: true), CancellationToken.None);
}
