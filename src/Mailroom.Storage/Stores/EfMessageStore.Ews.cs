using Mailroom.Storage.Ingest;

namespace Mailroom.Storage.Stores;

/// <summary>
/// <see cref="IEwsStore"/>: EWS folders are stored as Graph's are (<c>folders.remote_id</c> the FolderId,
/// <c>folders.sync_token</c> the SyncFolderItems state); the SyncFolderHierarchy state is <c>mailboxes.sync_token</c>,
/// written in the same SaveChanges as the folders it describes.
/// </summary>
internal sealed partial class EfMessageStore : IEwsStore
{
    public async Task<(string? HierarchyState, IReadOnlyList<GraphFolderState> Folders)> LoadEwsFoldersAsync(long mailboxId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var state = await db.Mailboxes.Where(m => m.Id == mailboxId).Select(m => m.SyncToken).SingleOrDefaultAsync(cancellationToken);
        var folders = await db.Folders.Where(f => f.MailboxId == mailboxId && f.RemoteId != null).OrderBy(f => f.Path).ToListAsync(cancellationToken);
        return (state, await FolderStatesAsync(db, mailboxId, folders, cancellationToken));
    }

    public Task<IReadOnlyList<GraphFolderState>> SaveEwsFoldersAsync(
        long mailboxId, IReadOnlyList<GraphFolderPlan> folders, string hierarchyState, CancellationToken cancellationToken) =>
        OpenRemoteFoldersAsync(mailboxId, folders, async (db, stored) =>
        {
            var mailbox = await db.Mailboxes.AsTracking().SingleOrDefaultAsync(m => m.Id == mailboxId, cancellationToken)
                ?? throw new InvalidOperationException($"Mailbox {mailboxId} does not exist.");
            mailbox.SyncToken = hierarchyState;
            // Gone from the tree (deleted, or moved under Deleted Items): no longer synced; its messages stay. Cleared
            // before the plans are applied, so that a new folder at the same path takes it over (and reconciles it).
            var planned = folders.Select(f => f.RemoteId).ToHashSet(StringComparer.Ordinal);
            foreach (var folder in stored.Where(f => f.RemoteId is not null && !planned.Contains(f.RemoteId)))
            {
                folder.RemoteId = null;
                folder.SyncToken = null;
            }
        }, cancellationToken);
}
