using Mailroom.Core.Sync;
using Mailroom.Storage.Ingest;

namespace Mailroom.Storage.Stores;

/// <summary><see cref="IGmailLabelStore"/>: Gmail labels as folders whose memberships copy All Mail's.</summary>
internal sealed partial class EfMessageStore : IGmailLabelStore
{
    public async Task<StoredFolder> UpsertLabelFolderAsync(
        long mailboxId, string path, FolderRole role, string label, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(contexts, time.GetUtcNow(), signal, cancellationToken);
        var (db, sql, events) = transaction;
        var entity = await db.Folders.SingleOrDefaultAsync(f => f.MailboxId == mailboxId && f.Path == path, cancellationToken);
        if (entity is null)
        {
            entity = new FolderEntity { MailboxId = mailboxId, Path = path, Role = role, GmailLabel = label };
            db.Folders.Add(entity);
        }
        else if (!string.Equals(entity.GmailLabel, label, StringComparison.Ordinal))
        {
            // Until now the folder held UIDs of its own (or another label's): they mean nothing beside All Mail's.
            await MessageEvents.DeleteAllMembershipsAsync(sql, events, entity.Id, cancellationToken);
            entity.GmailLabel = label;
            entity.UidValidity = null;
            entity.UidNext = null;
            entity.HighestModSeq = null;
            if (role != FolderRole.None)
                entity.Role = role;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ToRecord(entity);
    }

    public async Task<IReadOnlyDictionary<uint, IReadOnlySet<string>>> GetLabelsAsync(long mailboxId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var rows = await (
            from m in db.Memberships
            join f in db.Folders on m.FolderId equals f.Id
            where f.MailboxId == mailboxId && f.GmailLabel != null
            select new { m.Uid, Label = f.GmailLabel! })
            .ToListAsync(cancellationToken);
        var result = new Dictionary<uint, IReadOnlySet<string>>();
        foreach (var group in rows.GroupBy(r => (uint)r.Uid))
            result[group.Key] = group.Select(r => r.Label).ToHashSet(StringComparer.Ordinal);
        return result;
    }

    public async Task ApplyLabelChangesAsync(
        long allMailFolderId, IReadOnlyCollection<GmailLabelMembership> add, IReadOnlyCollection<GmailLabelMembership> remove,
        CancellationToken cancellationToken)
    {
        if (add.Count == 0 && remove.Count == 0)
            return;

        await using var transaction = await StoreTransaction.BeginAsync(contexts, time.GetUtcNow(), signal, cancellationToken);
        var (_, sql, events) = transaction;
        foreach (var group in remove.GroupBy(r => r.LabelFolderId))
        {
            await MessageEvents.DeleteMembershipsByUidAsync(sql, events, group.Key, group.Select(r => (long)r.Uid).ToList(), cancellationToken);
        }

        // A label membership is a copy of the All Mail membership: same message, UID, flags and raw copy.
        foreach (var group in add.GroupBy(a => a.LabelFolderId))
        {
            var gained = new List<long>();
            await sql.QueryInChunksAsync(
                "INSERT INTO folder_memberships (folder_id, message_id, uid, flags, keywords, raw_sha256) " +
                "SELECT @p0, message_id, uid, flags, keywords, raw_sha256 FROM folder_memberships " +
                "WHERE folder_id = @p1 AND uid IN ({0}) ON CONFLICT DO NOTHING RETURNING message_id",
                [group.Key, allMailFolderId], group.Select(a => (long)a.Uid).ToList(), reader => gained.Add(reader.GetInt64(0)), cancellationToken);
            if (gained.Count > 0)
            {
                var (mailboxId, organizationId) = await MessageEvents.OwnerOfFolderAsync(sql, group.Key, cancellationToken);
                MessageEvents.FolderAdded(events, organizationId, mailboxId, group.Key, gained.Order());
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task MirrorFlagsAsync(long mailboxId, long allMailFolderId, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(contexts, cancellationToken);
        var sql = transaction.Sql;
        await using var command = sql.Command(
            "UPDATE folder_memberships SET flags = a.flags, keywords = a.keywords " +
            "FROM folder_memberships AS a " +
            "WHERE a.folder_id = @p0 AND folder_memberships.uid = a.uid " +
            "AND folder_memberships.folder_id IN (SELECT id FROM folders WHERE mailbox_id = @p1 AND gmail_label IS NOT NULL) " +
            "AND (folder_memberships.flags <> a.flags OR folder_memberships.keywords <> a.keywords)",
            [allMailFolderId, mailboxId]);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task ClearLabelMembershipsAsync(long mailboxId, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(contexts, time.GetUtcNow(), signal, cancellationToken);
        var (db, sql, events) = transaction;
        foreach (var folderId in await db.Folders.Where(f => f.MailboxId == mailboxId && f.GmailLabel != null).Select(f => f.Id).ToListAsync(cancellationToken))
        {
            await MessageEvents.DeleteAllMembershipsAsync(sql, events, folderId, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<int?> GetRemoteCountAsync(long folderId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.Folders.Where(f => f.Id == folderId).Select(f => f.RemoteCount).SingleOrDefaultAsync(cancellationToken);
    }
}
