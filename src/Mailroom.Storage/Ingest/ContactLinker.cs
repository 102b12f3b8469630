using Mailroom.Core.Contacts;
using Mailroom.Core.Events;

namespace Mailroom.Storage.Ingest;

/// <summary>
/// The set-based statements that keep <c>message_contacts</c> equal to what the addresses say: a message links to a
/// contact of its mailbox's organization when its From, Reply-To, To or Cc names one of the contact's addresses
/// (compared normalized, or by alias key when the organization matches provider aliases). The same SQL runs on
/// SQLite and PostgreSQL.
/// </summary>
internal static class ContactLinker
{
    /// <summary>The roles that link, and the bit each sets in <c>message_contacts.roles</c> (<see cref="ContactRoles"/>).</summary>
    private const string RoleBits =
        "SUM(DISTINCT CASE ma.role WHEN 'From' THEN 1 WHEN 'ReplyTo' THEN 2 WHEN 'To' THEN 4 WHEN 'Cc' THEN 8 END)";

    public const string LinkingRoles = "('From', 'ReplyTo', 'To', 'Cc')";

    private const string LinkColumns =
        "INSERT INTO message_contacts (contact_id, message_id, roles, mailbox_id, sort_date, dedupe_key) ";

    private const string LinkValues =
        "SELECT ca.contact_id, ma.message_id, " + RoleBits + ", m.mailbox_id, " +
        "COALESCE(m.date, m.internal_date, m.created_at), COALESCE(m.message_id_header, m.raw_sha256) ";

    private const string LinkGroup =
        "GROUP BY ca.contact_id, ma.message_id, m.mailbox_id, m.date, m.internal_date, m.created_at, m.message_id_header, m.raw_sha256 ";

    /// <summary>The column both sides are compared on.</summary>
    public static string MatchColumn(bool aliases) => aliases ? "address_key" : "address_normalized";

    /// <summary>
    /// Links the messages of one mailbox with ids in [<paramref name="minId"/>, <paramref name="maxId"/>] (a batch just
    /// inserted) to the organization's contacts. New messages carry all their addresses, so existing links are final.
    /// </summary>
    public static async Task<int> LinkNewMessagesAsync(
        BatchSql sql, PendingEvents events, long organizationId, bool aliases, long mailboxId, long minId, long maxId, CancellationToken cancellationToken)
    {
        var column = MatchColumn(aliases);
        var links = await ReturningAsync(
            sql,
            LinkColumns + LinkValues +
            // Driven by the id range of message_addresses' primary key. SQLite keeps the left table of a CROSS JOIN
            // outermost (PostgreSQL plans it like any join), and the unary plus keeps it off the mailbox index: otherwise it
            // walked every message of the mailbox, or every contact address into the address index (seconds per batch).
            "FROM message_addresses ma CROSS JOIN contact_addresses ca " +
            "JOIN messages m ON m.id = ma.message_id " +
            $"WHERE ma.message_id BETWEEN @p2 AND @p3 AND ca.organization_id = @p0 AND ca.{column} = ma.{column} " +
            $"AND +m.mailbox_id = @p1 AND ma.role IN {LinkingRoles} " +
            LinkGroup +
            "ON CONFLICT (contact_id, message_id) DO NOTHING " + Returning,
            [organizationId, mailboxId, minId, maxId], cancellationToken);
        await AddLinkEventsAsync(sql, events, organizationId, links, cancellationToken);
        return links.Count;
    }

    /// <summary>
    /// Re-links one contact after its addresses changed (or it was created): links every message of the organization
    /// that names one of its addresses, with the roles it has there, and removes the links no address supports any more.
    /// </summary>
    public static async Task<LinkChange> RelinkContactAsync(
        BatchSql sql, PendingEvents events, long organizationId, long contactId, bool aliases, CancellationToken cancellationToken)
    {
        var column = MatchColumn(aliases);
        var unlinked = await ReturningAsync(
            sql,
            "DELETE FROM message_contacts WHERE contact_id = @p0 AND NOT EXISTS (" +
            "SELECT 1 FROM message_addresses ma " +
            $"JOIN contact_addresses ca ON ca.contact_id = @p0 AND ca.{column} = ma.{column} " +
            $"WHERE ma.message_id = message_contacts.message_id AND ma.role IN {LinkingRoles}) " + Returning,
            [contactId], cancellationToken);

        // The WHERE clause also keeps SQLite's parser from reading ON CONFLICT as a join constraint.
        var linked = await ReturningAsync(
            sql,
            LinkColumns + LinkValues +
            "FROM contact_addresses ca " +
            $"JOIN message_addresses ma ON ma.{column} = ca.{column} " +
            "JOIN messages m ON m.id = ma.message_id " +
            "JOIN mailboxes mb ON mb.id = m.mailbox_id " +
            $"WHERE ca.contact_id = @p0 AND mb.organization_id = ca.organization_id AND ma.role IN {LinkingRoles} " +
            LinkGroup +
            "ON CONFLICT (contact_id, message_id) DO UPDATE SET roles = excluded.roles WHERE message_contacts.roles <> excluded.roles " + Returning,
            [contactId], cancellationToken);
        await AddLinkEventsAsync(sql, events, organizationId, unlinked, cancellationToken, EventTypes.ContactUnlinked);
        await AddLinkEventsAsync(sql, events, organizationId, linked, cancellationToken);
        return new LinkChange(linked.Count, unlinked.Count);
    }

    private const string Returning = "RETURNING contact_id, message_id, mailbox_id, roles";

    private sealed record Link(long ContactId, long MessageId, long MailboxId, int Roles);

    private static async Task<List<Link>> ReturningAsync(BatchSql sql, string text, IReadOnlyList<object?> values, CancellationToken cancellationToken)
    {
        var links = new List<Link>();
        await sql.QueryAsync(text, values, reader => links.Add(new Link(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3))),
            cancellationToken);
        return links;
    }

    /// <summary>contact.linked (or unlinked) per link, naming the contact by its external id too: that is the application's key.</summary>
    private static async Task AddLinkEventsAsync(
        BatchSql sql, PendingEvents events, long organizationId, List<Link> links, CancellationToken cancellationToken,
        string type = EventTypes.ContactLinked)
    {
        if (links.Count == 0)
            return;
        var externalIds = new Dictionary<long, string>();
        await sql.QueryInChunksAsync(
            "SELECT id, external_id FROM contacts WHERE id IN ({0})", [], links.Select(l => l.ContactId).Distinct().ToList(),
            reader => externalIds[reader.GetInt64(0)] = reader.GetString(1), cancellationToken);
        foreach (var link in links.OrderBy(l => l.MessageId).ThenBy(l => l.ContactId))
        {
            events.Add(organizationId, type, PendingEvents.Json(w =>
            {
                w.WriteNumber("contactId", link.ContactId);
                w.WriteString("externalId", externalIds.GetValueOrDefault(link.ContactId));
                w.WriteNumber("messageId", link.MessageId);
                w.WriteNumber("mailboxId", link.MailboxId);
                w.WriteStartArray("roles");
                foreach (var (bit, name) in RoleNames)
                {
                    if ((link.Roles & bit) != 0)
                        w.WriteStringValue(name);
                }
                w.WriteEndArray();
            }), mailboxId: link.MailboxId, messageId: link.MessageId, contactId: link.ContactId);
        }
    }

    private static readonly (int Bit, string Name)[] RoleNames = [(1, "from"), (2, "replyTo"), (4, "to"), (8, "cc")];
}
