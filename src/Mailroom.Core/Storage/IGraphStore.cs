namespace Mailroom.Core.Storage;

/// <summary>
/// What Microsoft Graph sync needs beyond <see cref="IMessageStore"/> and <see cref="IPop3Store.AttachKnownAsync"/>.
/// Each Graph folder is a stored folder keyed by its immutable folder id (a rename moves its path); its memberships have
/// local UIDs (never reused) and the message's immutable id as remote id; a message's identity is that id
/// ("p:ms:" + id), so a move attaches the stored message to its new folder instead of downloading it again. The
/// folder's delta link is written only by <see cref="ApplyGraphChangesAsync"/>, with the changes it ends.
/// </summary>
public interface IGraphStore
{
    /// <summary>
    /// Brings the mailbox's Graph folders in line with <paramref name="folders"/> (created, renamed, role set; a folder
    /// IMAP synced at the same path is taken over) and returns each one's state, in the order given.
    /// </summary>
    Task<IReadOnlyList<GraphFolderState>> OpenGraphFoldersAsync(long mailboxId, IReadOnlyList<GraphFolderPlan> folders, CancellationToken cancellationToken);

    /// <summary>The local UIDs of these remote ids in the folder (those it holds).</summary>
    Task<IReadOnlyDictionary<string, uint>> FindRemoteIdsAsync(long folderId, IReadOnlyCollection<string> remoteIds, CancellationToken cancellationToken);

    /// <summary>Every remote id the folder holds: what a reconcile compares with the server's full listing.</summary>
    Task<IReadOnlyList<string>> ListRemoteIdsAsync(long folderId, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: removes memberships by remote id (their UIDs retired first), sets flags and keywords, and
    /// moves the folder's cursor to the delta link, its next UID up to <see cref="GraphFolderChanges.UidNext"/>.
    /// </summary>
    Task ApplyGraphChangesAsync(GraphFolderChanges changes, CancellationToken cancellationToken);
}
