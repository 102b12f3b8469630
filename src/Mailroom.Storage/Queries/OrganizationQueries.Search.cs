using System.Globalization;
using System.Text;
using Mailroom.Core.Connectors;
using Mailroom.Core.Search;

namespace Mailroom.Storage.Queries;

public sealed partial class OrganizationQueries
{
    // Enough text for a snippet around a match early in the body; a match further down is shown from the start.
    private const int SnippetSourceLength = 20_000;

    /// <summary>
    /// The organization's messages that match <paramref name="query"/>, newest first (Date header, then id; undated
    /// last), keyset-paged like <see cref="ListMessagesAsync"/>. The words go to the full-text index (FTS5 or tsvector,
    /// Migrations/Search); the filters to the message's own columns and links. Each hit carries its subject and a snippet
    /// with the query's words marked (<see cref="SearchHighlighter"/>).
    /// </summary>
    public async Task<SearchResults> SearchAsync(
        long organizationId, SearchQuery query, DateKeyset? after, int limit, CancellationToken cancellationToken)
    {
        limit = Clamp(limit);
        await using var db = _contexts.Create();

        List<long> mailboxIds;
        if (query.Mailbox is { } mailbox)
        {
            var byId = long.TryParse(mailbox, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (long?)null;
            var owned = await db.Mailboxes.Where(b => b.OrganizationId == organizationId).Select(b => new { b.Id, b.Address }).ToListAsync(cancellationToken);
            mailboxIds = [.. owned.Where(b => b.Id == byId || string.Equals(b.Address, mailbox, StringComparison.OrdinalIgnoreCase)).Select(b => b.Id)];
            if (mailboxIds.Count == 0)
                return SearchResults.Refused($"mailbox:{mailbox} names no mailbox of this organization (give its id or its address).");
        }
        else
        {
            mailboxIds = await db.Mailboxes.Where(b => b.OrganizationId == organizationId).Select(b => b.Id).ToListAsync(cancellationToken);
            if (mailboxIds.Count == 0)
                return new SearchResults([], null, null);
        }

        List<long>? folderIds = null;
        if (query.Folder is { } folder)
        {
            var folders = await db.Folders.Where(f => mailboxIds.Contains(f.MailboxId)).Select(f => new { f.Id, f.Path, f.Role }).ToListAsync(cancellationToken);
            folderIds = [.. folders
                .Where(f => f.Path.Equals(folder, StringComparison.OrdinalIgnoreCase)
                    || (f.Role != Core.Sync.FolderRole.None && f.Role.ToString().Equals(folder, StringComparison.OrdinalIgnoreCase)))
                .Select(f => f.Id)];
            if (folderIds.Count == 0)
                return SearchResults.Refused($"in:{folder} names no folder (by path or by role, such as in:inbox or in:sent) of the mailboxes searched.");
        }

        long? contactId = null;
        if (query.Contact is { } contact)
        {
            contactId = await db.Contacts.Where(c => c.OrganizationId == organizationId && c.ExternalId == contact)
                .Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);
            if (contactId is null)
                return SearchResults.Refused($"contact:{contact} names no contact of this organization (give its external id).");
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        var sql = BatchSql.ForReads(db);
        var page = await FindPageAsync(db, sql, query, mailboxIds, folderIds, contactId, after, limit + 1, cancellationToken);
        var next = page.Count > limit ? page[limit - 1] : (DateKeyset?)null;
        if (page.Count > limit)
            page.RemoveAt(limit);
        var hits = await ReadHitsAsync(db, sql, page.Select(p => p.Id).ToList(), query.HighlightTerms, cancellationToken);
        return new SearchResults(hits, next, null);
    }

    /// <summary>
    /// One page of ids and dates. On SQLite, a query matching many messages is turned around: instead of looking up every
    /// match to sort them by date (a row look-up each: 20 ms for 3,000 matches, 45 ms for 33,000, bench/RESULTS.md),
    /// each mailbox's (mailbox_id, date) index is walked newest first and each message tested against the set of
    /// matches, stopping after a page; the pages of the organization's mailboxes are then merged.
    /// PostgreSQL's planner makes this choice itself from the tsvector statistics, between the GIN index and the
    /// (mailbox_id, date) index of message_search (Migrations/Search).
    /// </summary>
    private static async Task<List<DateKeyset>> FindPageAsync(
        MailroomDbContext db, BatchSql sql, SearchQuery query, List<long> mailboxIds, List<long>? folderIds, long? contactId,
        DateKeyset? after, int take, CancellationToken cancellationToken)
    {
        // Not with contact: a contact's few links drive that query better than any date walk.
        if (db.Provider == StorageProvider.Sqlite && query.Terms.Count > 0 && contactId is null && mailboxIds.Count <= MaxWalkedMailboxes
            && await MatchesAtLeastAsync(sql, SearchMatch.Fts5(query.Terms), CommonMatches, cancellationToken))
        {
            var merged = new List<DateKeyset>();
            foreach (var mailbox in mailboxIds)
                merged.AddRange(await QueryPageAsync(db, sql, query, [mailbox], folderIds, contactId, after, take, true, cancellationToken));
            return [.. merged.OrderByDescending(k => k.Date.HasValue).ThenByDescending(k => k.Date).ThenByDescending(k => k.Id).Take(take)];
        }

        return await QueryPageAsync(db, sql, query, mailboxIds, folderIds, contactId, after, take, false, cancellationToken);
    }

    // Past this many matches, walking dates beats sorting matches (measured at 100,000 messages); past this many mailboxes
    // the walks (one per mailbox, each building the set of matches) cost more than one sort.
    private const int CommonMatches = 1_000;
    private const int MaxWalkedMailboxes = 8;

    private static async Task<bool> MatchesAtLeastAsync(BatchSql sql, string match, int count, CancellationToken cancellationToken) =>
        Convert.ToInt64(
            await sql.ScalarAsync("SELECT count(*) FROM (SELECT 1 FROM message_search WHERE message_search MATCH @p0 LIMIT @p1)", [match, count], cancellationToken),
            CultureInfo.InvariantCulture) >= count;

    private static async Task<List<DateKeyset>> QueryPageAsync(
        MailroomDbContext db, BatchSql batch, SearchQuery query, List<long> mailboxIds, List<long>? folderIds, long? contactId,
        DateKeyset? after, int take, bool walkDates, CancellationToken cancellationToken)
    {
        var values = new List<object?>();
        string Param(object value)
        {
            values.Add(value);
            return "@p" + (values.Count - 1).ToString(CultureInfo.InvariantCulture);
        }

        string List(IEnumerable<long> ids) => string.Join(",", ids.Select(id => Param(id)));

        // The key columns: on PostgreSQL a search reads the narrow message_search rows (message id, mailbox, date) and
        // touches messages only for filters that need them; elsewhere the message row itself.
        var pg = db.Provider == StorageProvider.Postgres && query.Terms.Count > 0;
        var (id, date, mailboxColumn) = pg ? ("s.message_id", "s.date", "s.mailbox_id") : ("m.id", "m.date", "m.mailbox_id");
        var sql = new StringBuilder().Append(CultureInfo.InvariantCulture, $"SELECT {id}, {date} FROM ");
        if (query.Terms.Count == 0)
            sql.Append("messages m WHERE 1 = 1");
        else if (walkDates)
            // The unary plus keeps SQLite from driving the query by the matches' ids: the date index must drive it.
            sql.Append("messages m WHERE +m.id IN (SELECT rowid FROM message_search WHERE message_search MATCH ")
                .Append(Param(SearchMatch.Fts5(query.Terms))).Append(')');
        else if (!pg)
            sql.Append("message_search s JOIN messages m ON m.id = s.rowid WHERE message_search MATCH ").Append(Param(SearchMatch.Fts5(query.Terms)));
        else if (query.Terms.Any(t => t.Terms.Count > 1))
            // A phrase: the GIN index first, always (OFFSET 0 keeps the planner from merging the subquery). Its estimate
            // multiplies its words' frequencies, so for two common words it would walk dates and test positions in
            // vector after vector for a phrase that is in fact rare (p99 over 500 ms at 100,000 messages).
            sql.Append("(SELECT message_id, mailbox_id, date FROM message_search WHERE document @@ CAST(")
                .Append(Param(SearchMatch.TsQuery(query.Terms))).Append(" AS tsquery) OFFSET 0) s WHERE 1 = 1");
        else
            sql.Append("message_search s WHERE s.document @@ CAST(").Append(Param(SearchMatch.TsQuery(query.Terms))).Append(" AS tsquery)");

        // The organization's mailboxes (few) as a list; never a list of messages.
        sql.Append(CultureInfo.InvariantCulture, $" AND {mailboxColumn} IN (").Append(List(mailboxIds)).Append(')');
        if (folderIds is not null)
            sql.Append(CultureInfo.InvariantCulture, $" AND EXISTS (SELECT 1 FROM folder_memberships fm WHERE fm.message_id = {id} AND fm.folder_id IN (").Append(List(folderIds)).Append("))");
        if (contactId is { } contact)
            sql.Append(CultureInfo.InvariantCulture, $" AND {id} IN (SELECT mc.message_id FROM message_contacts mc WHERE mc.contact_id = ").Append(Param(contact)).Append(')');
        if (query.HasAttachment)
        {
            sql.Append(pg ? " AND EXISTS (SELECT 1 FROM messages m WHERE m.id = s.message_id AND m.has_attachments = " : " AND m.has_attachments = ")
                .Append(Param(true)).Append(pg ? ")" : "");
        }

        if (query.After is { } from)
            sql.Append(CultureInfo.InvariantCulture, $" AND {date} >= ").Append(Param(db.ToDbTime(from)));
        if (query.Before is { } before)
            sql.Append(CultureInfo.InvariantCulture, $" AND {date} < ").Append(Param(db.ToDbTime(before)));
        if (after is { Date: { } d, Id: var afterId })
        {
            var at = Param(db.ToDbTime(d));
            sql.Append(CultureInfo.InvariantCulture, $" AND ({date} < {at} OR ({date} = {at} AND {id} < ").Append(Param(afterId)).Append(CultureInfo.InvariantCulture, $") OR {date} IS NULL)");
        }
        else if (after is { Date: null, Id: var undatedId })
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {date} IS NULL AND {id} < ").Append(Param(undatedId));
        }

        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY {date} DESC NULLS LAST, {id} DESC LIMIT ").Append(take.ToString(CultureInfo.InvariantCulture));

        var rows = new List<DateKeyset>(take);
        await batch.QueryAsync(sql.ToString(), values, reader => rows.Add(new DateKeyset(db.ReadDbTime(reader, 1), reader.GetInt64(0))), cancellationToken);
        return rows;
    }

    private static async Task<List<SearchHit>> ReadHitsAsync(
        MailroomDbContext db, BatchSql sql, List<long> ids, IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        const int seen = (int)MessageFlags.Seen;
        var byId = new Dictionary<long, SearchHit>(ids.Count);
        await sql.QueryInChunksAsync(
            "SELECT m.id, m.mailbox_id, m.thread_id, m.subject, m.from_summary, m.to_summary, m.date, m.snippet, m.has_attachments, m.size, " +
            $"EXISTS (SELECT 1 FROM folder_memberships fm WHERE fm.message_id = m.id AND (fm.flags & {seen}) = 0), " +
            $"substr(m.text_body, 1, {SnippetSourceLength}), CASE WHEN m.text_body IS NULL THEN substr(m.html_body, 1, {SnippetSourceLength * 4}) END " +
            "FROM messages m WHERE m.id IN ({0})",
            [], ids,
            reader =>
            {
                string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                var summary = new MessageSummary(
                    reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), Text(3), Text(4), Text(5),
                    db.ReadDbTime(reader, 6), reader.GetString(7), reader.GetBoolean(8), reader.GetInt64(9), reader.GetBoolean(10));
                var body = SearchDocument.BodyText(Text(11), Text(12), SnippetSourceLength);
                var snippet = terms.Count == 0 || body.Length == 0 ? summary.Snippet : body;
                byId[summary.Id] = new SearchHit(
                    summary, SearchHighlighter.Highlight(summary.Subject ?? "", terms), SearchHighlighter.Snippet(snippet, terms));
            },
            cancellationToken);

        return [.. ids.Where(byId.ContainsKey).Select(id => byId[id])];
    }
}
