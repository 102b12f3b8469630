using Mailroom.Core.Connectors;

namespace Mailroom.Storage.Queries;

/// <summary>
/// Read-only views of what the store holds, for tests, the CLI and diagnostics: enough to check that every server
/// message is stored exactly once per folder with the right UID, flags and raw bytes.
/// </summary>
public sealed partial class StoreInspector
{
    private readonly MailroomContextFactory _contexts;

    internal StoreInspector(MailroomContextFactory contexts) => _contexts = contexts;

    /// <summary>Every membership of the folder with its message, ordered by UID.</summary>
    public async Task<IReadOnlyList<StoredMessageView>> ListFolderMessagesAsync(long folderId, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var rows = await (
            from fm in db.Memberships
            join m in db.Messages on fm.MessageId equals m.Id
            where fm.FolderId == folderId
            orderby fm.Uid
            select new { fm.Uid, fm.Flags, fm.Keywords, fm.RawSha256, MessageId = m.Id, m.IdentityKey, m.MessageIdHeader, m.Subject })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new StoredMessageView(
            (uint)r.Uid, (MessageFlags)r.Flags, Keywords.Split(r.Keywords), r.RawSha256, r.MessageId, r.IdentityKey,
            r.MessageIdHeader, r.Subject))];
    }

    /// <summary>As <see cref="ListFolderMessagesAsync(long, CancellationToken)"/>, by folder path; empty when there is no such folder.</summary>
    public async Task<IReadOnlyList<StoredMessageView>> ListFolderMessagesAsync(long mailboxId, string path, CancellationToken cancellationToken)
    {
        long? folderId;
        await using (var db = _contexts.Create())
        {
            folderId = await db.Folders.Where(f => f.MailboxId == mailboxId && f.Path == path)
                .Select(f => (long?)f.Id).SingleOrDefaultAsync(cancellationToken);
        }

        return folderId is { } id ? await ListFolderMessagesAsync(id, cancellationToken) : [];
    }

    /// <summary>The number of memberships in each folder of the mailbox, ordered by path (folders without any included).</summary>
    public async Task<IReadOnlyList<FolderCount>> CountByFolderAsync(long mailboxId, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var rows = await db.Folders
            .Where(f => f.MailboxId == mailboxId)
            .OrderBy(f => f.Path)
            .Select(f => new { f.Id, f.Path, Count = db.Memberships.LongCount(m => m.FolderId == f.Id) })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new FolderCount(r.Id, r.Path, r.Count))];
    }

    /// <summary>Every folder of the mailbox with its counts, checkpoint and last error, ordered by path.</summary>
    public async Task<IReadOnlyList<FolderSyncState>> ListFolderStatesAsync(long mailboxId, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var rows = await db.Folders
            .Where(f => f.MailboxId == mailboxId)
            .OrderBy(f => f.Path)
            .Select(f => new { Folder = f, Count = db.Memberships.LongCount(m => m.FolderId == f.Id) })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new FolderSyncState(
            r.Folder.Id, r.Folder.Path, r.Folder.Role, r.Count, r.Folder.RemoteCount, r.Folder.LastSyncedAt,
            r.Folder.LastError, r.Folder.LastErrorAt,
            r.Folder.UidValidity is { } v ? (uint)v : null,
            r.Folder.UidNext is { } n ? (uint)n : null,
            ModSeq.FromDb(r.Folder.HighestModSeq)))];
    }

    /// <summary>Counts across the whole store.</summary>
    public async Task<StoreTotals> GetTotalsAsync(CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        return new StoreTotals(
            await db.Messages.LongCountAsync(cancellationToken),
            await db.Memberships.LongCountAsync(cancellationToken),
            await db.RawMime.LongCountAsync(cancellationToken),
            await db.RawMime.SumAsync(r => (long?)r.Size, cancellationToken) ?? 0,
            await db.Addresses.LongCountAsync(cancellationToken),
            await db.Attachments.LongCountAsync(cancellationToken));
    }

    /// <summary>Counts for one mailbox; the raw counts are of the raw copies its messages and memberships reference.</summary>
    public async Task<StoreTotals> GetTotalsAsync(long mailboxId, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var messages = db.Messages.Where(m => m.MailboxId == mailboxId);
        var messageIds = messages.Select(m => m.Id);
        var folderIds = db.Folders.Where(f => f.MailboxId == mailboxId).Select(f => f.Id);
        var memberships = db.Memberships.Where(m => folderIds.Contains(m.FolderId));
        var shas = messages.Select(m => m.RawSha256).Union(memberships.Select(m => m.RawSha256));
        var raw = db.RawMime.Where(r => shas.Contains(r.Sha256));
        return new StoreTotals(
            await messages.LongCountAsync(cancellationToken),
            await memberships.LongCountAsync(cancellationToken),
            await raw.LongCountAsync(cancellationToken),
            await raw.SumAsync(r => (long?)r.Size, cancellationToken) ?? 0,
            await db.Addresses.LongCountAsync(a => messageIds.Contains(a.MessageId), cancellationToken),
            await db.Attachments.LongCountAsync(a => messageIds.Contains(a.MessageId), cancellationToken));
    }
}
