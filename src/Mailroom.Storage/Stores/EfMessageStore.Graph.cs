using Mailroom.Core.Sync;
using Mailroom.Storage.Ingest;

namespace Mailroom.Storage.Stores;

/// <summary>
/// <see cref="IGraphStore"/>: folders keyed by Graph's folder id (<c>folders.remote_id</c>, unique per mailbox), their
/// delta link in <c>folders.sync_token</c>; memberships with local UIDs and the message id as remote id, as for POP3.
/// </summary>
internal sealed partial class EfMessageStore : IGraphStore
{
    public Task<IReadOnlyList<GraphFolderState>> OpenGraphFoldersAsync(
        long mailboxId, IReadOnlyList<GraphFolderPlan> folders, CancellationToken cancellationToken) =>
        OpenRemoteFoldersAsync(mailboxId, folders, null, cancellationToken);

    /// <summary>
    /// The folders of <paramref name="folders"/>, created, renamed or taken over, and their states. <paramref name="first"/>
    /// may change more (the mailbox, the stored folders left out) before, all in one SaveChanges.
    /// </summary>
    private async Task<IReadOnlyList<GraphFolderState>> OpenRemoteFoldersAsync(
        long mailboxId, IReadOnlyList<GraphFolderPlan> folders, Func<MailroomDbContext, List<FolderEntity>, Task>? first,
        CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var stored = await db.Folders.AsTracking().Where(f => f.MailboxId == mailboxId).ToListAsync(cancellationToken);
        if (first is not null)
            await first(db, stored);
        var byRemote = stored.Where(f => f.RemoteId is not null).ToDictionary(f => f.RemoteId!, StringComparer.Ordinal);
        var byPath = stored.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var result = new List<FolderEntity>(folders.Count);
        foreach (var plan in folders)
        {
            if (!byRemote.TryGetValue(plan.RemoteId, out var entity))
            {
                if (byPath.TryGetValue(plan.Path, out entity) && entity.RemoteId is null)
                {
                    // Synced over IMAP until now: its messages stay, its IMAP checkpoint goes (UIDs are local from here on).
                    entity.RemoteId = plan.RemoteId;
                    entity.UidValidity = null;
                    entity.HighestModSeq = null;
                }
                else
                {
                    entity = new FolderEntity { MailboxId = mailboxId, Path = plan.Path, Role = plan.Role, RemoteId = plan.RemoteId };
                    db.Folders.Add(entity);
                }
            }
            if (entity.Path != plan.Path)
            {
                // Renamed (or moved in the tree) at Graph: the same folder, a new path. A stale folder of another
                // remote id at that path steps aside first, so the unique (mailbox, path) index holds.
                if (byPath.TryGetValue(plan.Path, out var other) && other != entity)
                    other.Path = $"{other.Path} ({other.Id})";
                entity.Path = plan.Path;
            }
            entity.Role = plan.Role;
            byPath[entity.Path] = entity;
            result.Add(entity);
        }
        await db.SaveChangesAsync(cancellationToken);
        return await FolderStatesAsync(db, mailboxId, result, cancellationToken);
    }

    /// <summary>Each folder's state: its next local UID (above every UID it holds) and its sync token.</summary>
    private static async Task<IReadOnlyList<GraphFolderState>> FolderStatesAsync(
        MailroomDbContext db, long mailboxId, List<FolderEntity> result, CancellationToken cancellationToken)
    {
        // Every folder's highest UID in one query, not one per folder on every poll.
        var ids = result.Select(f => f.Id).ToList();
        var highestOf = await db.Memberships.Where(m => ids.Contains(m.FolderId))
            .GroupBy(m => m.FolderId)
            .Select(g => new { FolderId = g.Key, Highest = g.Max(m => m.Uid) })
            .ToDictionaryAsync(x => x.FolderId, x => x.Highest, cancellationToken);
        var states = new List<GraphFolderState>(result.Count);
        foreach (var entity in result)
        {
            var highest = highestOf.GetValueOrDefault(entity.Id);
            var next = Math.Max(entity.UidNext ?? 1, highest + 1);
            if (next > uint.MaxValue)
                throw new InvalidOperationException($"Folder {entity.Path} of mailbox {mailboxId} has used every local UID.");
            states.Add(new GraphFolderState(ToRecord(entity), entity.RemoteId!, (uint)next, entity.SyncToken));
        }
        return states;
    }

    public async Task<IReadOnlyDictionary<string, uint>> FindRemoteIdsAsync(
        long folderId, IReadOnlyCollection<string> remoteIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, uint>(StringComparer.Ordinal);
        if (remoteIds.Count == 0)
            return found;
        await using var transaction = await StoreTransaction.BeginAsync(contexts, cancellationToken);
        await transaction.Sql.QueryInChunksAsync(
            "SELECT remote_id, uid FROM folder_memberships WHERE folder_id = @p0 AND remote_id IN ({0})", [folderId],
            remoteIds.Select(StoredText.Clean).Distinct(StringComparer.Ordinal).ToList(),
            reader => found[reader.GetString(0)] = (uint)reader.GetInt64(1), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return found;
    }

    public async Task<IReadOnlyList<string>> ListRemoteIdsAsync(long folderId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.Memberships.Where(m => m.FolderId == folderId && m.RemoteId != null).Select(m => m.RemoteId!).ToListAsync(cancellationToken);
    }

    public async Task ApplyGraphChangesAsync(GraphFolderChanges changes, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(contexts, time.GetUtcNow(), signal, cancellationToken);
        var (db, sql, events) = transaction;
        var folderId = changes.FolderId;
        var (mailboxId, organizationId) = await MessageEvents.OwnerOfFolderAsync(sql, folderId, cancellationToken);

        // Retire the UIDs first: the next local UID stays above every UID the folder has held.
        var highest = await db.Memberships.Where(m => m.FolderId == folderId).MaxAsync(m => (long?)m.Uid, cancellationToken) ?? 0;
        var next = Math.Max(highest + 1, changes.UidNext);
        if (changes.Removed.Count > 0)
            await MessageEvents.DeleteMembershipsByRemoteIdAsync(sql, events, folderId, changes.Removed.Select(StoredText.Clean).ToList(), cancellationToken);

        if (changes.Flags.Count > 0)
        {
            var changed = new List<(long MessageId, Core.Connectors.RemoteMessageState State)>();
            await UpdateEachUidAsync(sql,
                "UPDATE folder_memberships SET flags = @p2, keywords = @p3 " +
                "WHERE folder_id = @p0 AND uid = @p1 AND (flags <> @p2 OR keywords <> @p3) RETURNING message_id",
                folderId, changes.Flags, (reader, state) => changed.Add((reader.GetInt64(0), state)), cancellationToken);
            foreach (var (messageId, state) in changed)
                MessageEvents.FlagsChanged(events, organizationId, mailboxId, folderId, messageId, state.Uid, state.Flags, state.Keywords);
        }

        var updated = await db.Folders.Where(f => f.Id == folderId).ExecuteUpdateAsync(s => s
            .SetProperty(f => f.SyncToken, changes.DeltaLink)
            .SetProperty(f => f.UidNext, f => f.UidNext > next ? f.UidNext : next)
            .SetProperty(f => f.LastSyncedAt, time.GetUtcNow())
            .SetProperty(f => f.LastError, (string?)null)
            .SetProperty(f => f.LastErrorAt, (DateTimeOffset?)null), cancellationToken);
        if (updated == 0)
            throw new InvalidOperationException($"Folder {folderId} does not exist.");
        await transaction.CommitAsync(cancellationToken);
    }
}
