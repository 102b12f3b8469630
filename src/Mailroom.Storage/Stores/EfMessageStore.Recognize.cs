using Mailroom.Core.Connectors;
using Mailroom.Storage.Ingest;

namespace Mailroom.Storage.Stores;

/// <summary>Folder state and the recognition of copies already stored.</summary>
internal sealed partial class EfMessageStore
{
    public async Task RecordFolderErrorAsync(long mailboxId, string path, string message, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(contexts, cancellationToken); // fenced in cluster mode
        var text = StoredText.Truncate(StoredText.Clean(message), MaxErrorLength);
        await transaction.Db.Folders.Where(f => f.MailboxId == mailboxId && f.Path == path).ExecuteUpdateAsync(
            s => s.SetProperty(f => f.LastError, text).SetProperty(f => f.LastErrorAt, at), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task RemoveFolderAsync(long folderId, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(contexts, time.GetUtcNow(), signal, cancellationToken);
        var (db, sql, events) = transaction;
        await MessageEvents.DeleteAllMembershipsAsync(sql, events, folderId, cancellationToken);
        await db.Folders.Where(f => f.Id == folderId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<bool> HasMessagesAsync(long mailboxId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.Messages.AnyAsync(m => m.MailboxId == mailboxId, cancellationToken);
    }

    public async Task<IReadOnlyList<StoredCopy>> FindCopiesAsync(
        long mailboxId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0)
            return [];

        // Message-IDs are stored through StoredText.Indexed; look them up the same way and answer with the ids asked for.
        var asked = messageIds
            .Select(id => (Key: StoredText.Indexed(id), Id: id))
            .Where(p => p.Key is not null)
            .ToLookup(p => p.Key!, p => p.Id, StringComparer.Ordinal);
        var keys = asked.Select(g => g.Key).ToList();
        var copies = new List<StoredCopy>();
        await using var transaction = await StoreTransaction.BeginAsync(contexts, cancellationToken);
        var sql = transaction.Sql;
        await sql.QueryInChunksAsync(
            "SELECT id, message_id_header, raw_sha256, size FROM messages WHERE mailbox_id = @p0 AND message_id_header IN ({0})",
            [mailboxId], keys,
            reader =>
            {
                foreach (var id in asked[reader.GetString(1)])
                    copies.Add(new StoredCopy(reader.GetInt64(0), id, reader.GetString(2), reader.GetInt64(3)));
            },
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return copies;
    }

    public async Task AddMembershipsAsync(long folderId, IReadOnlyList<StoredMembership> memberships, CancellationToken cancellationToken)
    {
        if (memberships.Count == 0)
            return;

        await using var transaction = await StoreTransaction.BeginAsync(contexts, time.GetUtcNow(), signal, cancellationToken);
        var (_, sql, events) = transaction;
        var rows = memberships
            .Select(m => new object?[] { folderId, m.MessageId, (long)m.Uid, (int)m.Flags, Keywords.Join(m.Keywords), m.RawSha256 })
            .ToList();
        var gained = new List<long>();
        await sql.InsertRowsAsync(
            "INSERT INTO folder_memberships (folder_id, message_id, uid, flags, keywords, raw_sha256)",
            "ON CONFLICT DO NOTHING RETURNING message_id", 6, rows, cancellationToken, onRow: reader => gained.Add(reader.GetInt64(0)));
        if (gained.Count > 0)
        {
            var (mailboxId, organizationId) = await MessageEvents.OwnerOfFolderAsync(sql, folderId, cancellationToken);
            MessageEvents.FolderAdded(events, organizationId, mailboxId, folderId, gained.Order());
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private const int MaxErrorLength = 2000;
}
