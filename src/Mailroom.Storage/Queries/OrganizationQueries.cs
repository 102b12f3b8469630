using Mailroom.Core.Sending;
using Mailroom.Storage.Stores;

namespace Mailroom.Storage.Queries;

/// <summary>
/// Reads for the HTTP API, every one scoped by organization: an id that belongs to another organization is answered
/// exactly like an id that does not exist. Lists are keyset-paginated (a page starts strictly after the last row shown,
/// so rows added meanwhile never shift or repeat one).
/// </summary>
public sealed partial class OrganizationQueries
{
    /// <summary>The most rows one page may hold.</summary>
    public const int MaxPageSize = 500;

    private readonly MailroomContextFactory _contexts;

    internal OrganizationQueries(MailroomContextFactory contexts) => _contexts = contexts;

    /// <summary>The mailbox if it belongs to the organization.</summary>
    public async Task<MailboxRecord?> GetMailboxAsync(long organizationId, long mailboxId, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var m = await db.Mailboxes.SingleOrDefaultAsync(x => x.Id == mailboxId && x.OrganizationId == organizationId, cancellationToken);
        return m is null ? null : EfAccountStore.ToRecord(m);
    }

    /// <summary>The organization's mailboxes by id, after <paramref name="afterId"/>.</summary>
    public async Task<IReadOnlyList<MailboxRecord>> ListMailboxesAsync(long organizationId, long? afterId, int limit, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var rows = await db.Mailboxes.Where(m => m.OrganizationId == organizationId && (afterId == null || m.Id > afterId))
            .OrderBy(m => m.Id).Take(Clamp(limit)).ToListAsync(cancellationToken);
        return [.. rows.Select(EfAccountStore.ToRecord)];
    }

    /// <summary>The mailbox of the folder, if the folder belongs to the organization.</summary>
    public async Task<long?> GetFolderMailboxAsync(long organizationId, long folderId, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        return await (
            from f in db.Folders
            join m in db.Mailboxes on f.MailboxId equals m.Id
            where f.Id == folderId && m.OrganizationId == organizationId
            select (long?)f.MailboxId).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The thread, if it belongs to the organization.</summary>
    public async Task<(long MailboxId, StoredThreadView Thread)?> GetThreadAsync(long organizationId, long threadId, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var row = await (
            from t in db.Threads
            join m in db.Mailboxes on t.MailboxId equals m.Id
            where t.Id == threadId && m.OrganizationId == organizationId
            select new { t.MailboxId, t.Id, t.Subject, t.MessageCount, t.FirstDate, t.LastDate }).SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : (row.MailboxId, new StoredThreadView(row.Id, row.Subject, row.MessageCount, row.FirstDate, row.LastDate));
    }

    /// <summary>The organization's threads (of one mailbox when given), latest activity first.</summary>
    public async Task<(IReadOnlyList<(long MailboxId, StoredThreadView Thread)> Rows, DateKeyset? Next)> ListThreadsAsync(
        long organizationId, long? mailboxId, DateKeyset? after, int limit, CancellationToken cancellationToken)
    {
        limit = Clamp(limit);
        await using var db = _contexts.Create();
        var scoped = mailboxId is { } mb
            ? db.Threads.Where(t => t.MailboxId == mb)
            : db.Threads.Where(t => db.Mailboxes.Any(m => m.Id == t.MailboxId && m.OrganizationId == organizationId));
        var rows = new List<(long, StoredThreadView)>();
        if (after is not { Date: null })
        {
            var dated = scoped.Where(t => t.LastDate != null);
            if (after is { Date: { } d, Id: var id })
                dated = dated.Where(t => t.LastDate < d || (t.LastDate == d && t.Id < id));
            rows.AddRange((await dated.OrderByDescending(t => t.LastDate).ThenByDescending(t => t.Id).Take(limit + 1)
                    .Select(t => new { t.MailboxId, t.Id, t.Subject, t.MessageCount, t.FirstDate, t.LastDate }).ToListAsync(cancellationToken))
                .Select(t => (t.MailboxId, new StoredThreadView(t.Id, t.Subject, t.MessageCount, t.FirstDate, t.LastDate))));
        }
        if (rows.Count <= limit)
        {
            // Threads without any dated message come last, by id.
            var undated = scoped.Where(t => t.LastDate == null);
            if (after is { Date: null, Id: var id })
                undated = undated.Where(t => t.Id < id);
            rows.AddRange((await undated.OrderByDescending(t => t.Id).Take(limit + 1 - rows.Count)
                    .Select(t => new { t.MailboxId, t.Id, t.Subject, t.MessageCount, t.FirstDate, t.LastDate }).ToListAsync(cancellationToken))
                .Select(t => (t.MailboxId, new StoredThreadView(t.Id, t.Subject, t.MessageCount, t.FirstDate, t.LastDate))));
        }
        if (rows.Count <= limit)
            return (rows, null);
        rows.RemoveAt(limit);
        var last = rows[^1].Item2;
        return (rows, new DateKeyset(last.LastDate, last.Id));
    }

    /// <summary>The organization's outbox (of one mailbox when given), newest first, before <paramref name="beforeId"/>.</summary>
    public async Task<IReadOnlyList<OutboxItem>> ListOutboxAsync(
        long organizationId, long? mailboxId, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var query = mailboxId is { } mb
            ? db.Outbox.Where(o => o.MailboxId == mb)
            : db.Outbox.Where(o => db.Mailboxes.Any(m => m.Id == o.MailboxId && m.OrganizationId == organizationId));
        if (beforeId is { } before)
            query = query.Where(o => o.Id < before);
        var rows = await query.OrderByDescending(o => o.Id).Take(Clamp(limit)).ToListAsync(cancellationToken);
        return [.. rows.Select(EfOutboxStore.ToItem)];
    }

    /// <summary>The outbox row, if its mailbox belongs to the organization.</summary>
    public async Task<OutboxItem?> GetOutboxItemAsync(long organizationId, long id, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var row = await db.Outbox.Where(o => o.Id == id && db.Mailboxes.Any(m => m.Id == o.MailboxId && m.OrganizationId == organizationId))
            .SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : EfOutboxStore.ToItem(row);
    }

    private static int Clamp(int limit) => Math.Clamp(limit, 1, MaxPageSize);
}
