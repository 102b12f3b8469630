using System.Data.Common;
using Mailroom.Core.Connectors;
using Mailroom.Core.Events;
using Mailroom.Core.Threading;
using Mailroom.Storage.Ingest;

namespace Mailroom.Storage.Stores;

/// <summary>
/// <see cref="IMessageStore"/> on EF Core. Reads and small writes go through LINQ and ExecuteUpdate/ExecuteDelete;
/// the batch write and the per-UID updates use parameterized SQL on the context's connection.
/// </summary>
internal sealed partial class EfMessageStore(MailroomContextFactory contexts, TimeProvider time, ThreadingOptions threading, EventSignal signal) : IMessageStore
{
    public async Task<IReadOnlyList<StoredFolder>> ListFoldersAsync(long mailboxId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var folders = await db.Folders.Where(f => f.MailboxId == mailboxId).OrderBy(f => f.Path).ToListAsync(cancellationToken);
        return [.. folders.Select(ToRecord)];
    }

    public async Task<StoredFolder> UpsertFolderAsync(long mailboxId, RemoteFolder folder, CancellationToken cancellationToken)
    {
        // In a transaction (not for atomicity: a cluster worker's writes are fenced there, see StoreTransaction).
        await using var transaction = await StoreTransaction.BeginAsync(contexts, cancellationToken);
        var db = transaction.Db;
        var updated = await db.Folders
            .Where(f => f.MailboxId == mailboxId && f.Path == folder.Path)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.Role, folder.Role), cancellationToken);
        if (updated == 0)
        {
            db.Folders.Add(new FolderEntity { MailboxId = mailboxId, Path = folder.Path, Role = folder.Role });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another worker may have created it first: the unique index kept one row, which is read below (EF
                // rolled back to its savepoint, so the transaction goes on).
                if (!await db.Folders.AnyAsync(f => f.MailboxId == mailboxId && f.Path == folder.Path, cancellationToken))
                    throw;
            }
        }

        var entity = await db.Folders.SingleAsync(f => f.MailboxId == mailboxId && f.Path == folder.Path, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ToRecord(entity);
    }

    public async Task ResetFolderAsync(long folderId, uint uidValidity, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(contexts, time.GetUtcNow(), signal, cancellationToken);
        var (db, sql, events) = transaction;
        await MessageEvents.DeleteAllMembershipsAsync(sql, events, folderId, cancellationToken);
        await db.SkippedMemberships.Where(m => m.FolderId == folderId).ExecuteDeleteAsync(cancellationToken);
        var updated = await db.Folders.Where(f => f.Id == folderId).ExecuteUpdateAsync(
            s => s.SetProperty(f => f.UidValidity, (long)uidValidity)
                .SetProperty(f => f.UidNext, (long?)null)
                .SetProperty(f => f.HighestModSeq, (long?)null),
            cancellationToken);
        if (updated == 0)
            throw new InvalidOperationException($"Folder {folderId} does not exist.");
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<uint, StoredMembership>> GetMembershipsAsync(long folderId, CancellationToken cancellationToken)
    {
        var result = new Dictionary<uint, StoredMembership>();
        await ReadMembershipsAsync((sql, read) => sql.QueryAsync(MembershipColumns + "WHERE folder_id = @p0", [folderId], read, cancellationToken),
            result, cancellationToken);
        return result;
    }

    public async Task<IReadOnlyDictionary<uint, StoredMembership>> GetMembershipsAsync(
        long folderId, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<uint, StoredMembership>();
        if (uids.Count == 0)
            return result;
        await ReadMembershipsAsync((sql, read) => sql.QueryInChunksAsync(
                MembershipColumns + "WHERE folder_id = @p0 AND uid IN ({0})", [folderId], uids.Select(u => (long)u).ToList(), read, cancellationToken),
            result, cancellationToken);
        return result;
    }

    public async Task<int> CountMembershipsAsync(long folderId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.Memberships.CountAsync(m => m.FolderId == folderId, cancellationToken)
            + await db.SkippedMemberships.CountAsync(m => m.FolderId == folderId, cancellationToken);
    }

    // Messages a "contacts" scope did not keep are known too (message id 0, no raw copy): sync must not fetch them again.
    private const string MembershipColumns =
        "SELECT message_id, uid, flags, keywords, raw_sha256 FROM (" +
        "SELECT folder_id, message_id, uid, flags, keywords, raw_sha256 FROM folder_memberships UNION ALL " +
        "SELECT folder_id, 0, uid, flags, keywords, '' FROM skipped_memberships) m ";

    /// <summary>Plain data readers rather than tracked entities: folders hold hundreds of thousands of memberships.</summary>
    private async Task ReadMembershipsAsync(
        Func<BatchSql, Action<DbDataReader>, Task> query, Dictionary<uint, StoredMembership> into, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(contexts, cancellationToken);
        await query(transaction.Sql, reader =>
        {
            var uid = (uint)reader.GetInt64(1);
            into[uid] = new StoredMembership(
                reader.GetInt64(0), uid, (MessageFlags)reader.GetInt32(2), Keywords.Split(reader.GetString(3)), reader.GetString(4));
        });
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task SaveMessagesAsync(long folderId, IReadOnlyList<IngestedMessage> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
            return;

        var now = time.GetUtcNow();
        await using var transaction = await StoreTransaction.BeginAsync(contexts, now, signal, cancellationToken);
        var (db, sql, events) = transaction;
        await new MessageBatchWriter(db, sql, now, threading, events, contexts.Options.WriteSearchIndex).WriteAsync(folderId, batch, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task UpdateFlagsAsync(long folderId, IReadOnlyList<RemoteMessageState> states, CancellationToken cancellationToken)
    {
        if (states.Count == 0)
            return;

        await using var transaction = await StoreTransaction.BeginAsync(contexts, time.GetUtcNow(), signal, cancellationToken);
        var (db, sql, events) = transaction;

        // Rows whose flags are already right are not rewritten, and the rows it does rewrite are the message.updated events.
        var changed = new List<(long MessageId, RemoteMessageState State)>();
        await UpdateEachUidAsync(
            sql,
            "UPDATE folder_memberships SET flags = @p2, keywords = @p3 " +
            "WHERE folder_id = @p0 AND uid = @p1 AND (flags <> @p2 OR keywords <> @p3) RETURNING message_id",
            folderId, states, (reader, state) => changed.Add((reader.GetInt64(0), state)), cancellationToken);
        if (changed.Count > 0)
        {
            var (mailboxId, organizationId) = await MessageEvents.OwnerOfFolderAsync(sql, folderId, cancellationToken);
            foreach (var (messageId, state) in changed)
                MessageEvents.FlagsChanged(events, organizationId, mailboxId, folderId, messageId, state.Uid, state.Flags, state.Keywords);
        }

        // Skipped messages (privacy scope) keep their flags too, so they do not count as changed on every sync.
        if (await db.SkippedMemberships.AnyAsync(m => m.FolderId == folderId, cancellationToken))
        {
            await UpdateEachUidAsync(
                sql,
                "UPDATE skipped_memberships SET flags = @p2, keywords = @p3 " +
                "WHERE folder_id = @p0 AND uid = @p1 AND (flags <> @p2 OR keywords <> @p3)",
                folderId, states, null, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="update"/> (@p0 the folder, @p1 a UID, @p2 its flags, @p3 its keywords) as one prepared
    /// statement re-bound per UID, and passes the rows it returns, if any, to <paramref name="onRow"/> with their state.
    /// </summary>
    private static async Task UpdateEachUidAsync(
        BatchSql sql, string update, long folderId, IReadOnlyList<RemoteMessageState> states,
        Action<DbDataReader, RemoteMessageState>? onRow, CancellationToken cancellationToken)
    {
        await using var command = sql.Command(update, [folderId, 0L, 0, ""]);
        await command.PrepareAsync(cancellationToken);
        foreach (var state in states)
        {
            command.Parameters[1].Value = (long)state.Uid;
            command.Parameters[2].Value = (int)state.Flags;
            command.Parameters[3].Value = Keywords.Join(state.Keywords);
            if (onRow is null)
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
                continue;
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                onRow(reader, state);
        }
    }

    public async Task RemoveMembershipsAsync(long folderId, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken)
    {
        if (uids.Count == 0)
            return;

        await using var transaction = await StoreTransaction.BeginAsync(contexts, time.GetUtcNow(), signal, cancellationToken);
        var (_, sql, events) = transaction;
        var keys = uids.Select(u => (long)u).ToList();
        await MessageEvents.DeleteMembershipsByUidAsync(sql, events, folderId, keys, cancellationToken);
        await sql.ExecuteInChunksAsync("DELETE FROM skipped_memberships WHERE folder_id = @p0 AND uid IN ({0})", [folderId], keys, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task CompleteFolderSyncAsync(long folderId, FolderStatus status, DateTimeOffset syncedAt, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(contexts, cancellationToken);
        var db = transaction.Db;
        var updated = await db.Folders.Where(f => f.Id == folderId).ExecuteUpdateAsync(
            s => s.SetProperty(f => f.UidValidity, (long)status.UidValidity)
                .SetProperty(f => f.UidNext, status.UidNext.HasValue ? (long)status.UidNext.Value : null)
                .SetProperty(f => f.HighestModSeq, ModSeq.ToDb(status.HighestModSeq))
                .SetProperty(f => f.LastSyncedAt, syncedAt)
                .SetProperty(f => f.RemoteCount, status.Count)
                .SetProperty(f => f.LastError, (string?)null)
                .SetProperty(f => f.LastErrorAt, (DateTimeOffset?)null),
            cancellationToken);
        if (updated == 0)
            throw new InvalidOperationException($"Folder {folderId} does not exist.");
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<byte[]?> GetRawAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.RawMime.Where(r => r.Sha256 == sha256).Select(r => r.Data).SingleOrDefaultAsync(cancellationToken);
    }

    private static StoredFolder ToRecord(FolderEntity f) => new(
        f.Id, f.MailboxId, f.Path, f.Role,
        f.UidValidity is { } v ? (uint)v : null,
        f.UidNext is { } n ? (uint)n : null,
        ModSeq.FromDb(f.HighestModSeq),
        f.LastSyncedAt);
}
