namespace Mailroom.Core.Storage;

/// <summary>
/// What Gmail API sync needs beyond <see cref="IMessageStore"/> and <see cref="IGmailLabelStore"/>. The mailbox keeps the
/// shape Gmail over IMAP gives it: one All Mail folder holding every message once, label folders whose memberships copy
/// All Mail's. The API has no UIDs, so All Mail's UIDs are assigned here (above every UID the folder has held) and a
/// message is found by its identity ("p:gm:" + X-GM-MSGID), which both protocols share. The history id is the
/// folder's checkpoint (its mod-sequence column), written only by <see cref="ApplyGmailChangesAsync"/>.
/// </summary>
public interface IGmailApiStore
{
    /// <summary>
    /// The All Mail folder (the one Gmail over IMAP used, if any, else created): a folder that IMAP synced last loses
    /// its UIDVALIDITY and mod-sequence (its UIDs stay, as local UIDs), so the API starts with a reconcile.
    /// </summary>
    Task<GmailApiFolderState> OpenGmailApiFolderAsync(long mailboxId, string defaultPath, CancellationToken cancellationToken);

    /// <summary>The All Mail UIDs of the messages with these identity keys that the folder holds.</summary>
    Task<IReadOnlyDictionary<string, uint>> FindInFolderAsync(long folderId, IReadOnlyCollection<string> identityKeys, CancellationToken cancellationToken);

    /// <summary>
    /// The Gmail thread id (decimal X-GM-THRID) of the first stored message of the mailbox whose Message-ID is one of
    /// <paramref name="messageIds"/> (a reply's In-Reply-To, then its References from the last), or null.
    /// </summary>
    Task<string?> FindThreadIdAsync(long mailboxId, IReadOnlyList<string> messageIds, CancellationToken cancellationToken);

    /// <summary>Every All Mail UID with its message's identity key: what a reconcile compares with the server's list.</summary>
    Task<IReadOnlyList<(uint Uid, string IdentityKey)>> ListFolderIdentitiesAsync(long folderId, CancellationToken cancellationToken);

    /// <summary>The labels (and their folders) stored for these All Mail UIDs, or for every UID when <paramref name="uids"/> is null.</summary>
    Task<IReadOnlyDictionary<uint, IReadOnlyList<(string Label, long FolderId)>>> GetLabelFoldersAsync(
        long mailboxId, IReadOnlyCollection<uint>? uids, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: removes messages from All Mail and every label folder, adds and removes label memberships,
    /// sets flags (All Mail and its label copies), and, when given, moves the checkpoint to the history id.
    /// </summary>
    Task ApplyGmailChangesAsync(GmailApiChanges changes, CancellationToken cancellationToken);
}
