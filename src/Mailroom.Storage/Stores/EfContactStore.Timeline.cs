using Mailroom.Core.Contacts;
using Mailroom.Storage.Ingest;

namespace Mailroom.Storage.Stores;

/// <summary>Reading links: a contact's timeline and the organization's unmatched correspondents.</summary>
internal sealed partial class EfContactStore
{
    /// <summary>The most entries one page may hold.</summary>
    public const int MaxPageSize = 500;

    public async Task<TimelinePage?> GetTimelineAsync(
        long organizationId, string externalId, int limit, TimelineCursor? after, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        await using var db = contexts.Create();
        var contactId = await db.Contacts.Where(c => c.OrganizationId == organizationId && c.ExternalId == externalId)
            .Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);
        if (contactId is not { } id)
            return null;

        // Keyset on (sort time, message id), both descending; an email held by several mailboxes is shown once, as its
        // newest copy: a link is an entry only if no other link of the contact with the same dedupe key sorts after it.
        var links = db.MessageContacts.Where(l => l.ContactId == id);
        if (after is { } cursor)
        {
            var date = UnixMicrosecondsConverter.FromMicroseconds(cursor.SortMicros);
            links = links.Where(l => l.SortDate < date || (l.SortDate == date && l.MessageId < cursor.MessageId));
        }

        var heads = await links
            .Where(l => !db.MessageContacts.Any(o => o.ContactId == id && o.DedupeKey == l.DedupeKey
                && (o.SortDate > l.SortDate || (o.SortDate == l.SortDate && o.MessageId > l.MessageId))))
            .OrderByDescending(l => l.SortDate).ThenByDescending(l => l.MessageId)
            .Take(limit + 1)
            .Select(l => new { l.MessageId, l.SortDate, l.DedupeKey })
            .ToListAsync(cancellationToken);
        var more = heads.Count > limit;
        if (more)
            heads.RemoveAt(limit);
        if (heads.Count == 0)
            return new TimelinePage([], null);

        var ids = heads.Select(h => h.MessageId).ToList();
        var messages = await db.Messages.Where(m => ids.Contains(m.Id))
            .Select(m => new { m.Id, m.Subject, m.FromSummary, m.ToSummary, m.Snippet, m.MessageIdHeader, m.ThreadId })
            .ToDictionaryAsync(m => m.Id, cancellationToken);
        var keys = heads.Select(h => h.DedupeKey).Distinct().ToList();
        var copies = (await (
                from l in db.MessageContacts
                join mb in db.Mailboxes on l.MailboxId equals mb.Id
                where l.ContactId == id && keys.Contains(l.DedupeKey)
                orderby l.MessageId
                select new { l.DedupeKey, l.MessageId, l.Roles, l.MailboxId, mb.Name })
            .ToListAsync(cancellationToken))
            .ToLookup(c => c.DedupeKey);

        var entries = heads.Select(h =>
        {
            var m = messages[h.MessageId];
            var all = copies[h.DedupeKey].ToList();
            var roles = all.Aggregate(ContactRoles.None, (r, c) => r | (ContactRoles)c.Roles);
            return new TimelineEntry(
                h.MessageId, h.SortDate, roles, m.Subject, m.FromSummary, m.ToSummary, m.Snippet, m.MessageIdHeader, m.ThreadId,
                [.. all.Select(c => new TimelineCopy(c.MailboxId, c.Name, c.MessageId))]);
        }).ToList();
        var last = heads[^1];
        var next = more ? new TimelineCursor(UnixMicrosecondsConverter.ToMicroseconds(last.SortDate), last.MessageId).ToString() : null;
        return new TimelinePage(entries, next);
    }

    public async Task<IReadOnlyList<UnmatchedCorrespondent>> GetUnmatchedCorrespondentsAsync(
        long organizationId, int limit, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(contexts, cancellationToken);
        var (db, sql) = transaction;
        var aliases = await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.MatchAddressAliases).SingleOrDefaultAsync(cancellationToken);
        var column = ContactLinker.MatchColumn(aliases);

        // The mailboxes' own addresses (stored normalized, not their logins, which may be no address) are in nearly
        // every message: they are colleagues, not candidates.
        var result = new List<UnmatchedCorrespondent>();
        await sql.QueryAsync(
            "SELECT ma.address_normalized, MAX(ma.name), COUNT(DISTINCT ma.message_id), MAX(COALESCE(m.date, m.internal_date)) " +
            "FROM message_addresses ma JOIN messages m ON m.id = ma.message_id JOIN mailboxes mb ON mb.id = m.mailbox_id " +
            $"WHERE mb.organization_id = @p0 AND ma.role IN {ContactLinker.LinkingRoles} " +
            $"AND NOT EXISTS (SELECT 1 FROM contact_addresses ca WHERE ca.organization_id = @p0 AND ca.{column} = ma.{column}) " +
            "AND ma.address_normalized NOT IN (SELECT LOWER(o.address) FROM mailboxes o WHERE o.organization_id = @p0 AND o.address IS NOT NULL) " +
            "GROUP BY ma.address_normalized ORDER BY COUNT(DISTINCT ma.message_id) DESC, ma.address_normalized LIMIT @p1",
            [organizationId, Math.Clamp(limit, 1, 10_000)],
            reader => result.Add(new UnmatchedCorrespondent(
                reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
                db.ReadDbTime(reader, 3))),
            cancellationToken);
        return result;
    }
}
