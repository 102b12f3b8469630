using System.Text.Json;
using Mailroom.Core.Connectors;

namespace Mailroom.Storage.Queries;

public sealed partial class OrganizationQueries
{
    /// <summary>The contact's id, if the organization has a contact with this external id.</summary>
    public async Task<long?> FindContactIdAsync(long organizationId, string externalId, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        return await db.Contacts.Where(c => c.OrganizationId == organizationId && c.ExternalId == externalId)
            .Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// The organization's messages that pass <paramref name="filter"/>, newest first (by the Date header, then id;
    /// messages without a date last, by id).
    /// </summary>
    public async Task<(IReadOnlyList<MessageSummary> Rows, DateKeyset? Next)> ListMessagesAsync(
        long organizationId, MessageFilter filter, DateKeyset? after, int limit, CancellationToken cancellationToken)
    {
        limit = Clamp(limit);
        await using var db = _contexts.Create();
        // The organization's mailboxes as a list of ids, not a correlated subquery: with one mailbox the planner then
        // walks the (mailbox_id, date) index newest first and stops after a page (measured in bench/ApiBench).
        var mailboxIds = filter.MailboxId is { } one
            ? [one]
            : await db.Mailboxes.Where(b => b.OrganizationId == organizationId).Select(b => b.Id).ToListAsync(cancellationToken);
        var query = mailboxIds.Count == 1
            ? db.Messages.Where(m => m.MailboxId == mailboxIds[0])
            : db.Messages.Where(m => mailboxIds.Contains(m.MailboxId));
        if (filter.FolderId is { } folderId)
            query = query.Where(m => db.Memberships.Any(fm => fm.MessageId == m.Id && fm.FolderId == folderId));
        if (filter.ThreadId is { } threadId)
            query = query.Where(m => m.ThreadId == threadId);
        // A contact's messages are few among many: start from its links (an IN over the link index) instead of testing
        // every message in date order for a link.
        if (filter.ContactId is { } contactId)
            query = query.Where(m => db.MessageContacts.Where(l => l.ContactId == contactId).Select(l => l.MessageId).Contains(m.Id));
        if (filter.Since is { } since)
            query = query.Where(m => m.Date >= since);
        if (filter.Unread is { } unread)
        {
            const int seen = (int)MessageFlags.Seen;
            query = unread
                ? query.Where(m => db.Memberships.Any(fm => fm.MessageId == m.Id && (fm.Flags & seen) == 0))
                : query.Where(m => !db.Memberships.Any(fm => fm.MessageId == m.Id && (fm.Flags & seen) == 0));
        }

        var rows = new List<MessageSummary>();
        if (after is not { Date: null })
        {
            var dated = query.Where(m => m.Date != null);
            if (after is { Date: { } d, Id: var id })
                dated = dated.Where(m => m.Date < d || (m.Date == d && m.Id < id));
            rows.AddRange(await Project(db, dated.OrderByDescending(m => m.Date).ThenByDescending(m => m.Id).Take(limit + 1))
                .ToListAsync(cancellationToken));
        }
        if (rows.Count <= limit && filter.Since is null)
        {
            var undated = query.Where(m => m.Date == null);
            if (after is { Date: null, Id: var id })
                undated = undated.Where(m => m.Id < id);
            rows.AddRange(await Project(db, undated.OrderByDescending(m => m.Id).Take(limit + 1 - rows.Count)).ToListAsync(cancellationToken));
        }
        if (rows.Count <= limit)
            return (rows, null);
        rows.RemoveAt(limit);
        return (rows, new DateKeyset(rows[^1].Date, rows[^1].Id));
    }

    private static IQueryable<MessageSummary> Project(MailroomDbContext db, IQueryable<MessageEntity> messages)
    {
        const int seen = (int)MessageFlags.Seen;
        return messages.Select(m => new MessageSummary(
            m.Id, m.MailboxId, m.ThreadId, m.Subject, m.FromSummary, m.ToSummary, m.Date, m.Snippet, m.HasAttachments, m.Size,
            db.Memberships.Any(fm => fm.MessageId == m.Id && (fm.Flags & seen) == 0)));
    }

    /// <summary>The message, if its mailbox belongs to the organization.</summary>
    public async Task<MessageDetail?> GetMessageAsync(long organizationId, long messageId, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var owned = db.Messages.Where(m => m.Id == messageId && db.Mailboxes.Any(b => b.Id == m.MailboxId && b.OrganizationId == organizationId));
        var summary = await Project(db, owned).SingleOrDefaultAsync(cancellationToken);
        if (summary is null)
            return null;
        var m = await owned.Select(x => new
        {
            x.MessageIdHeader, x.InReplyTo, x.ReferenceIds, x.InternalDate, x.ThreadReason, x.TextBody, HasHtml = x.HtmlBody != null, x.Problems,
        }).SingleAsync(cancellationToken);
        var addresses = await db.Addresses.Where(a => a.MessageId == messageId).OrderBy(a => a.Position)
            .Select(a => new { a.Role, a.Name, a.Address }).ToListAsync(cancellationToken);
        var attachments = await db.Attachments.Where(a => a.MessageId == messageId).OrderBy(a => a.Position)
            .Select(a => new AttachmentView(a.Position, a.FileName, a.ContentType, a.Size, a.ContentId, a.IsInline, a.PartPath))
            .ToListAsync(cancellationToken);
        var folders = await (
                from fm in db.Memberships
                join f in db.Folders on fm.FolderId equals f.Id
                where fm.MessageId == messageId
                orderby f.Path
                select new { f.Id, f.Path, fm.Uid, fm.Flags, fm.Keywords })
            .ToListAsync(cancellationToken);
        return new MessageDetail(
            summary, m.MessageIdHeader, m.InReplyTo, ReadList(m.ReferenceIds), m.InternalDate, m.ThreadReason, m.TextBody, m.HasHtml,
            [.. addresses.Select(a => new MessageAddressView(JsonNamingPolicy.SnakeCaseLower.ConvertName(a.Role.ToString()), a.Name, a.Address))],
            attachments,
            [.. folders.Select(f => new MembershipView(f.Id, f.Path, f.Uid, (MessageFlags)f.Flags, Keywords.Split(f.Keywords)))],
            ReadList(m.Problems));
    }

    /// <summary>Whether the message exists and its mailbox belongs to the organization (without reading it).</summary>
    public async Task<bool> HasMessageAsync(long organizationId, long messageId, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        return await (
            from m in db.Messages
            join b in db.Mailboxes on m.MailboxId equals b.Id
            where m.Id == messageId && b.OrganizationId == organizationId
            select m.Id).AnyAsync(cancellationToken);
    }

    /// <summary>The raw bytes of the message, if its mailbox belongs to the organization.</summary>
    public async Task<byte[]?> GetRawAsync(long organizationId, long messageId, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        return await (
            from m in db.Messages
            join b in db.Mailboxes on m.MailboxId equals b.Id
            join r in db.RawMime on m.RawSha256 equals r.Sha256
            where m.Id == messageId && b.OrganizationId == organizationId
            select r.Data).FirstOrDefaultAsync(cancellationToken);
    }

    private static IReadOnlyList<string> ReadList(string? json)
    {
        if (json is null)
            return [];
        try
        {
            return JsonSerializer.Deserialize(json, StorageJson.Default.IReadOnlyListString) ?? [];
        }
        catch (JsonException)
        {
            // Problems written by an older version as plain text.
            return [json];
        }
    }
}
