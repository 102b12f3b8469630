using Mailroom.Core.Connectors;
using Mailroom.Core.Sync;
using Mailroom.Core.Sync.Pop3;
using Mailroom.Storage.Ingest;

namespace Mailroom.Storage.Stores;

/// <summary>
/// <see cref="IPop3Store"/>: a POP3 mailbox's one folder, its memberships keyed by UIDL (<c>remote_id</c>, unique
/// per folder) with local UIDs (unique per folder, never reused: <c>folders.uid_next</c> stays above every UID
/// the folder has held).
/// </summary>
internal sealed partial class EfMessageStore : IPop3Store
{
    private static readonly RemoteFolder Pop3Folder = new(Pop3Sync.FolderPath, null, FolderRole.Inbox, CanSelect: true);

    public Task<Pop3FolderState> OpenPop3FolderAsync(long mailboxId, CancellationToken cancellationToken) =>
        OpenLocalUidFolderAsync(mailboxId, Pop3Folder, cancellationToken);

    /// <summary>A folder whose UIDs are assigned here and whose memberships are keyed by remote id (POP3, archives).</summary>
    private async Task<Pop3FolderState> OpenLocalUidFolderAsync(long mailboxId, RemoteFolder remote, CancellationToken cancellationToken)
    {
        var folder = await UpsertFolderAsync(mailboxId, remote, cancellationToken);
        await using var db = contexts.Create();
        var rows = await db.Memberships
            .Where(m => m.FolderId == folder.Id)
            .Select(m => new { m.Uid, m.RemoteId })
            .ToListAsync(cancellationToken);
        var remoteIds = new Dictionary<string, uint>(rows.Count, StringComparer.Ordinal);
        long next = Math.Max(folder.UidNext ?? 1, 1);
        foreach (var row in rows)
        {
            next = Math.Max(next, row.Uid + 1);
            if (row.RemoteId is { } id)
                remoteIds[id] = (uint)row.Uid;
        }

        var hasMessages = await db.Messages.AnyAsync(m => m.MailboxId == mailboxId, cancellationToken);
        return new Pop3FolderState(folder.Id, remoteIds, (uint)next, hasMessages);
    }

    public async Task<IReadOnlyList<string>> AttachKnownAsync(
        long folderId, IReadOnlyList<Pop3KnownMessage> candidates, CancellationToken cancellationToken) =>
        [.. (await AttachByIdentityAsync(folderId, candidates, c => (c.Uid, c.RemoteId, c.IdentityKey, MessageFlags.None), cancellationToken))
            .Select(c => c.RemoteId)];

    /// <summary>
    /// Adds a membership of the folder (UID, flags, remote id) for each candidate whose identity the folder's mailbox
    /// already stores, pointing at its stored raw copy, with its event. Shared by every protocol that recognises a stored
    /// message by identity before downloading it (POP3, Graph, Gmail over IMAP and the API).
    /// </summary>
    /// <returns>The candidates whose identity is stored.</returns>
    private async Task<List<T>> AttachByIdentityAsync<T>(
        long folderId, IReadOnlyList<T> candidates, Func<T, (uint Uid, string RemoteId, string IdentityKey, MessageFlags Flags)> facts,
        CancellationToken cancellationToken)
    {
        if (candidates.Count == 0)
            return [];

        await using var transaction = await StoreTransaction.BeginAsync(contexts, time.GetUtcNow(), signal, cancellationToken);
        var (_, sql, events) = transaction;
        var (mailboxId, organizationId) = await MessageEvents.OwnerOfFolderAsync(sql, folderId, cancellationToken);

        var known = new Dictionary<string, (long Id, string Sha)>(StringComparer.Ordinal);
        await sql.QueryInChunksAsync(
            "SELECT identity_key, id, raw_sha256 FROM messages WHERE mailbox_id = @p0 AND identity_key IN ({0})", [mailboxId],
            candidates.Select(c => StoredText.IdentityKey(facts(c).IdentityKey)).Distinct(StringComparer.Ordinal).ToList(),
            reader => known[reader.GetString(0)] = (reader.GetInt64(1), reader.GetString(2)), cancellationToken);

        var attached = candidates.Where(c => known.ContainsKey(StoredText.IdentityKey(facts(c).IdentityKey))).ToList();
        if (attached.Count > 0)
        {
            var rows = attached.Select(c =>
            {
                var (uid, remoteId, identityKey, flags) = facts(c);
                var (id, sha) = known[StoredText.IdentityKey(identityKey)];
                return new object?[] { folderId, id, (long)uid, (int)flags, "", sha, StoredText.CleanOrNull(remoteId) };
            }).ToList();
            var gained = new List<long>();
            await sql.InsertRowsAsync(
                "INSERT INTO folder_memberships (folder_id, message_id, uid, flags, keywords, raw_sha256, remote_id)",
                "ON CONFLICT DO NOTHING RETURNING message_id", 7, rows, cancellationToken, onRow: reader => gained.Add(reader.GetInt64(0)));
            if (gained.Count > 0)
                MessageEvents.FolderAdded(events, organizationId, mailboxId, folderId, gained.Order());
        }

        await transaction.CommitAsync(cancellationToken);
        return attached;
    }

    public async Task RemoveRemoteIdsAsync(long folderId, IReadOnlyCollection<string> remoteIds, CancellationToken cancellationToken)
    {
        if (remoteIds.Count == 0)
            return;

        await using var transaction = await StoreTransaction.BeginAsync(contexts, time.GetUtcNow(), signal, cancellationToken);
        var (db, sql, events) = transaction;
        // Retire the UIDs before their rows go: the next UID stays above the highest one ever held.
        var highest = await db.Memberships.Where(m => m.FolderId == folderId).MaxAsync(m => (long?)m.Uid, cancellationToken) ?? 0;
        await db.Folders
            .Where(f => f.Id == folderId && (f.UidNext == null || f.UidNext <= highest))
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.UidNext, highest + 1), cancellationToken);
        await MessageEvents.DeleteMembershipsByRemoteIdAsync(sql, events, folderId, remoteIds.Select(StoredText.Clean).ToList(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task CompletePop3SyncAsync(
        long folderId, uint uidNext, int remoteCount, DateTimeOffset syncedAt, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(contexts, cancellationToken); // fenced in cluster mode
        var db = transaction.Db;
        var updated = await db.Folders.Where(f => f.Id == folderId).ExecuteUpdateAsync(
            s => s.SetProperty(f => f.UidNext, f => f.UidNext > (long)uidNext ? f.UidNext : (long)uidNext)
                .SetProperty(f => f.RemoteCount, remoteCount)
                .SetProperty(f => f.LastSyncedAt, syncedAt)
                .SetProperty(f => f.LastError, (string?)null)
                .SetProperty(f => f.LastErrorAt, (DateTimeOffset?)null),
            cancellationToken);
        if (updated == 0)
            throw new InvalidOperationException($"Folder {folderId} does not exist.");
        await transaction.CommitAsync(cancellationToken);
    }
}
