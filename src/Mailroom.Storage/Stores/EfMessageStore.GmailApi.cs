using Mailroom.Core.Connectors;
using Mailroom.Core.Sync;
using Mailroom.Storage.Ingest;

namespace Mailroom.Storage.Stores;

/// <summary>
/// <see cref="IGmailApiStore"/>: All Mail with local UIDs (kept above every UID it held, as for POP3) and the API id as
/// remote id; the history id in the folder's mod-sequence column, which only an API-owned folder (no UIDVALIDITY) has.
/// </summary>
internal sealed partial class EfMessageStore : IGmailApiStore
{
    public async Task<GmailApiFolderState> OpenGmailApiFolderAsync(long mailboxId, string defaultPath, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var entity = await db.Folders
            .Where(f => f.MailboxId == mailboxId && f.Role == FolderRole.All && f.GmailLabel == null)
            .OrderBy(f => f.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (entity is null)
        {
            await UpsertFolderAsync(mailboxId, new RemoteFolder(defaultPath, '/', FolderRole.All, CanSelect: true), cancellationToken);
            entity = await db.Folders.SingleAsync(f => f.MailboxId == mailboxId && f.Path == defaultPath, cancellationToken);
        }

        var highest = await db.Memberships.Where(m => m.FolderId == entity.Id).MaxAsync(m => (long?)m.Uid, cancellationToken) ?? 0;
        var next = Math.Max(entity.UidNext ?? 1, highest + 1);
        if (entity.UidValidity is not null)
        {
            // Synced over IMAP until now: its UIDs stay (local ones from here on), its IMAP checkpoint goes.
            await db.Folders.Where(f => f.Id == entity.Id).ExecuteUpdateAsync(s => s
                .SetProperty(f => f.UidValidity, (long?)null)
                .SetProperty(f => f.HighestModSeq, (long?)null)
                .SetProperty(f => f.UidNext, next), cancellationToken);
            entity.UidValidity = null;
            entity.HighestModSeq = null;
        }
        if (next > uint.MaxValue)
            throw new InvalidOperationException($"All Mail of mailbox {mailboxId} has used every local UID.");
        return new GmailApiFolderState(ToRecord(entity), (uint)next, entity.HighestModSeq is { } h ? (ulong)h : null);
    }

    public async Task<IReadOnlyDictionary<string, uint>> FindInFolderAsync(
        long folderId, IReadOnlyCollection<string> identityKeys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, uint>(StringComparer.Ordinal);
        if (identityKeys.Count == 0)
            return found;
        await using var transaction = await StoreTransaction.BeginAsync(contexts, cancellationToken);
        await transaction.Sql.QueryInChunksAsync(
            "SELECT m.identity_key, fm.uid FROM folder_memberships fm JOIN messages m ON m.id = fm.message_id " +
            "WHERE fm.folder_id = @p0 AND m.identity_key IN ({0})", [folderId],
            identityKeys.Select(StoredText.IdentityKey).ToList(), reader => found[reader.GetString(0)] = (uint)reader.GetInt64(1), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return found;
    }

    public async Task<IReadOnlyList<string>> AttachKnownAsync(long folderId, IReadOnlyList<GmailApiKnownMessage> candidates, CancellationToken cancellationToken) =>
        [.. (await AttachByIdentityAsync(folderId, candidates, c => (c.Uid, c.RemoteId, c.IdentityKey, c.Flags), cancellationToken))
            .Select(c => c.IdentityKey)];

    public async Task<string?> FindThreadIdAsync(long mailboxId, IReadOnlyList<string> messageIds, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0)
            return null;
        await using var db = contexts.Create();
        var ids = messageIds.Take(50).ToList();
        var found = await db.Messages
            .Where(m => m.MailboxId == mailboxId && m.ProviderThreadId != null && m.MessageIdHeader != null && ids.Contains(m.MessageIdHeader))
            .Select(m => new { m.MessageIdHeader, m.ProviderThreadId })
            .ToListAsync(cancellationToken);
        return ids.Select(id => found.FirstOrDefault(f => f.MessageIdHeader == id)?.ProviderThreadId).FirstOrDefault(t => t is not null);
    }

    public async Task<IReadOnlyList<(uint Uid, string IdentityKey)>> ListFolderIdentitiesAsync(long folderId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var rows = await (
            from fm in db.Memberships
            join m in db.Messages on fm.MessageId equals m.Id
            where fm.FolderId == folderId
            select new { fm.Uid, m.IdentityKey })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => ((uint)r.Uid, r.IdentityKey))];
    }

    public async Task<IReadOnlyDictionary<uint, IReadOnlyList<(string Label, long FolderId)>>> GetLabelFoldersAsync(
        long mailboxId, IReadOnlyCollection<uint>? uids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<uint, List<(string, long)>>();
        void Add(uint uid, string label, long folderId)
        {
            if (!result.TryGetValue(uid, out var list))
                result[uid] = list = [];
            list.Add((label, folderId));
        }

        await using var transaction = await StoreTransaction.BeginAsync(contexts, cancellationToken);
        const string Select = "SELECT fm.uid, f.gmail_label, f.id FROM folder_memberships fm JOIN folders f ON f.id = fm.folder_id " +
                              "WHERE f.mailbox_id = @p0 AND f.gmail_label IS NOT NULL";
        if (uids is null)
        {
            await transaction.Sql.QueryAsync(Select, [mailboxId], r => Add((uint)r.GetInt64(0), r.GetString(1), r.GetInt64(2)), cancellationToken);
        }
        else if (uids.Count > 0)
        {
            await transaction.Sql.QueryInChunksAsync(Select + " AND fm.uid IN ({0})", [mailboxId], uids.Select(u => (long)u).ToList(),
                r => Add((uint)r.GetInt64(0), r.GetString(1), r.GetInt64(2)), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return result.ToDictionary(p => p.Key, p => (IReadOnlyList<(string, long)>)p.Value);
    }

    public async Task ApplyGmailChangesAsync(GmailApiChanges changes, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(contexts, time.GetUtcNow(), signal, cancellationToken);
        var (db, sql, events) = transaction;
        var allMail = changes.AllMailFolderId;
        var (mailboxId, organizationId) = await MessageEvents.OwnerOfFolderAsync(sql, allMail, cancellationToken);
        var labelFolders = await db.Folders.Where(f => f.MailboxId == mailboxId && f.GmailLabel != null).Select(f => f.Id).ToListAsync(cancellationToken);

        if (changes.Removed.Count > 0)
        {
            // Retire the UIDs first: the next local UID stays above every UID All Mail has held.
            var highest = await db.Memberships.Where(m => m.FolderId == allMail).MaxAsync(m => (long?)m.Uid, cancellationToken) ?? 0;
            await db.Folders.Where(f => f.Id == allMail && (f.UidNext == null || f.UidNext <= highest))
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.UidNext, highest + 1), cancellationToken);
            var keys = changes.Removed.Select(u => (long)u).ToList();
            foreach (var folderId in labelFolders.Append(allMail))
                await MessageEvents.DeleteMembershipsByUidAsync(sql, events, folderId, keys, cancellationToken);
        }

        foreach (var group in changes.RemoveLabels.GroupBy(r => r.LabelFolderId))
            await MessageEvents.DeleteMembershipsByUidAsync(sql, events, group.Key, group.Select(r => (long)r.Uid).ToList(), cancellationToken);

        if (changes.Flags.Count > 0)
        {
            var changed = new List<(long MessageId, RemoteMessageState State)>();
            await UpdateEachUidAsync(sql,
                "UPDATE folder_memberships SET flags = @p2, keywords = @p3 " +
                "WHERE folder_id = @p0 AND uid = @p1 AND (flags <> @p2 OR keywords <> @p3) RETURNING message_id",
                allMail, changes.Flags, (reader, state) => changed.Add((reader.GetInt64(0), state)), cancellationToken);
            foreach (var (messageId, state) in changed)
                MessageEvents.FlagsChanged(events, organizationId, mailboxId, allMail, messageId, state.Uid, state.Flags, state.Keywords);
        }

        // A label membership copies All Mail's (message, UID, flags, raw copy), after the flags above changed.
        foreach (var group in changes.AddLabels.GroupBy(a => a.LabelFolderId))
        {
            var gained = new List<long>();
            await sql.QueryInChunksAsync(
                "INSERT INTO folder_memberships (folder_id, message_id, uid, flags, keywords, raw_sha256) " +
                "SELECT @p0, message_id, uid, flags, keywords, raw_sha256 FROM folder_memberships " +
                "WHERE folder_id = @p1 AND uid IN ({0}) ON CONFLICT DO NOTHING RETURNING message_id",
                [group.Key, allMail], group.Select(a => (long)a.Uid).Distinct().ToList(), reader => gained.Add(reader.GetInt64(0)), cancellationToken);
            if (gained.Count > 0)
                MessageEvents.FolderAdded(events, organizationId, mailboxId, group.Key, gained.Order());
        }

        if (changes.Flags.Count > 0)
        {
            await sql.ExecuteInChunksAsync(
                "UPDATE folder_memberships SET flags = a.flags, keywords = a.keywords FROM folder_memberships AS a " +
                "WHERE a.folder_id = @p0 AND folder_memberships.uid = a.uid AND a.uid IN ({0}) " +
                "AND folder_memberships.folder_id IN (SELECT id FROM folders WHERE mailbox_id = @p1 AND gmail_label IS NOT NULL) " +
                "AND (folder_memberships.flags <> a.flags OR folder_memberships.keywords <> a.keywords)",
                [allMail, mailboxId], changes.Flags.Select(f => (long)f.Uid).ToList(), cancellationToken);
        }

        if (changes.HistoryId is { } historyId)
        {
            var now = time.GetUtcNow();
            var count = changes.RemoteCount;
            await db.Folders.Where(f => f.Id == allMail).ExecuteUpdateAsync(s => s
                .SetProperty(f => f.HighestModSeq, (long)historyId)
                .SetProperty(f => f.RemoteCount, f => count ?? f.RemoteCount)
                .SetProperty(f => f.LastSyncedAt, now)
                .SetProperty(f => f.LastError, (string?)null)
                .SetProperty(f => f.LastErrorAt, (DateTimeOffset?)null), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
