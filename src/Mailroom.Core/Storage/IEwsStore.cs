namespace Mailroom.Core.Storage;

/// <summary>
/// What EWS sync needs beyond <see cref="IGraphStore"/>'s folder operations (which it shares: folders keyed by the
/// provider's folder id, memberships with local UIDs and the ItemId as remote id, the folder's SyncState as its sync
/// token written only with the changes it ends) and <see cref="IPop3Store.AttachKnownAsync"/>: the folder tree's
/// SyncFolderHierarchy state, kept on the mailbox with the folders it made.
/// </summary>
public interface IEwsStore
{
    /// <summary>The stored hierarchy state (null before the first sync) and the folders synced under it, in path order.</summary>
    Task<(string? HierarchyState, IReadOnlyList<GraphFolderState> Folders)> LoadEwsFoldersAsync(long mailboxId, CancellationToken cancellationToken);

    /// <summary>
    /// Brings the mailbox's EWS folders in line with <paramref name="folders"/> (the whole tree as the server has it now:
    /// created, renamed, roles set; a stored folder no longer in it stops being synced, its messages kept), and saves
    /// <paramref name="hierarchyState"/> in the same transaction. Returns each folder's state, in the order given.
    /// </summary>
    Task<IReadOnlyList<GraphFolderState>> SaveEwsFoldersAsync(
        long mailboxId, IReadOnlyList<GraphFolderPlan> folders, string hierarchyState, CancellationToken cancellationToken);
}
