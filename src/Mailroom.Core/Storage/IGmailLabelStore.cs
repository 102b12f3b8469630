using Mailroom.Core.Sync;

namespace Mailroom.Core.Storage;

/// <summary>
/// What Gmail sync needs beyond <see cref="IMessageStore"/>: labels kept as folder memberships. A label folder is never
/// selected; its memberships are copies of All Mail's (same message, UID, flags and raw copy), one per label a message
/// carries.
/// </summary>
public interface IGmailLabelStore
{
    /// <summary>
    /// The folder that represents <paramref name="label"/> (X-GM-LABELS spelling) at <paramref name="path"/>, created if
    /// missing. A folder that was synced on its own before (UIDs of its own) loses those memberships when it becomes a
    /// label folder, since label memberships carry All Mail's UIDs.
    /// </summary>
    Task<StoredFolder> UpsertLabelFolderAsync(long mailboxId, string path, FolderRole role, string label, CancellationToken cancellationToken);

    /// <summary>The labels stored for each All Mail UID (from the mailbox's label folders).</summary>
    Task<IReadOnlyDictionary<uint, IReadOnlySet<string>>> GetLabelsAsync(long mailboxId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds and removes label memberships in one transaction. An added membership copies the message, flags, keywords
    /// and raw copy of the All Mail membership with the same UID; a UID that All Mail does not hold adds nothing.
    /// </summary>
    Task ApplyLabelChangesAsync(
        long allMailFolderId, IReadOnlyCollection<GmailLabelMembership> add, IReadOnlyCollection<GmailLabelMembership> remove,
        CancellationToken cancellationToken);

    /// <summary>Copies flags and keywords from All Mail memberships to the label memberships with the same UID.</summary>
    Task MirrorFlagsAsync(long mailboxId, long allMailFolderId, CancellationToken cancellationToken);

    /// <summary>Removes every label membership of the mailbox (All Mail's UIDVALIDITY changed: the UIDs mean nothing now).</summary>
    Task ClearLabelMembershipsAsync(long mailboxId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds an All Mail membership for each candidate whose identity is a message the mailbox already stores (moved back
    /// from Trash, or synced by the other protocol: IMAP or the Gmail API), pointing at its stored raw copy. Returns the identity keys attached.
    /// </summary>
    Task<IReadOnlyList<string>> AttachKnownAsync(long folderId, IReadOnlyList<GmailApiKnownMessage> candidates, CancellationToken cancellationToken);

    /// <summary>How many messages the server reported at the folder's last completed sync, or null.</summary>
    Task<int?> GetRemoteCountAsync(long folderId, CancellationToken cancellationToken);
}
