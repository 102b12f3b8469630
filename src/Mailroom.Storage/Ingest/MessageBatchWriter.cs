using System.Globalization;
using System.Text.Json;
using Mailroom.Core.Accounts;
using Mailroom.Core.Contacts;
using Mailroom.Core.Messages;
using Mailroom.Core.Search;
using Mailroom.Core.Threading;

namespace Mailroom.Storage.Ingest;

/// <summary>
/// The hot path: one batch of fetched messages, written inside the caller's transaction by a few look-ups and one
/// insert statement per table (see <see cref="BatchSql.InsertRowsAsync"/>), without EF Core's change tracking. Unique
/// keys decide what is new (raw MIME by SHA-256, messages by identity in the mailbox, memberships by UID in the
/// folder), so writing the same batch again inserts nothing.
/// </summary>
internal sealed class MessageBatchWriter(
    MailroomDbContext context, BatchSql sql, DateTimeOffset now, ThreadingOptions threading, PendingEvents events, bool indexSearch = true)
{
    private const int MessageColumns = 23;
    private const long MaxRawBytesPerStatement = 16 * 1024 * 1024;
    private const int MaxSummaryLength = 1000;

    private static readonly string[] RoleNames = Enum.GetNames<AddressRole>();

    public async Task WriteAsync(long folderId, IReadOnlyList<IngestedMessage> batch, CancellationToken cancellationToken)
    {
        MailboxFacts? facts = null;
        await sql.QueryAsync(
            "SELECT f.mailbox_id, mb.organization_id, mb.scope, o.match_address_aliases, mb.address FROM folders f " +
            "JOIN mailboxes mb ON mb.id = f.mailbox_id JOIN organizations o ON o.id = mb.organization_id WHERE f.id = @p0",
            [folderId],
            reader => facts = new MailboxFacts(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2) == nameof(MailboxScope.Contacts), reader.GetBoolean(3),
                reader.IsDBNull(4) ? null : reader.GetString(4)),
            cancellationToken);
        var (mailboxId, organizationId, contactsOnly, aliases, ownAddress) = facts ?? throw new InvalidOperationException($"Folder {folderId} does not exist.");

        if (contactsOnly)
        {
            batch = await SkipUnrelatedAsync(folderId, organizationId, aliases, batch, cancellationToken);
            if (batch.Count == 0)
                return;
        }

        await WriteRawAsync(batch, cancellationToken);
        var (messageIds, inserted) = await WriteMessagesAsync(mailboxId, ownAddress, batch, cancellationToken);
        await WriteDetailsAsync(inserted, cancellationToken);
        if (indexSearch)
            await SearchIndexWriter.WriteAsync(sql, context.Provider, [.. inserted.Select(i => (i.Id, SearchDocument.Of(i.Message.Message)))], cancellationToken);
        var gained = await WriteMembershipsAsync(folderId, batch, messageIds, cancellationToken);

        // Events in the order a reader wants them: the messages, the folders existing ones joined, their threads, their links.
        foreach (var (id, threadId, item) in inserted)
            MessageEvents.Created(events, organizationId, mailboxId, folderId, id, threadId, item);
        gained.ExceptWith(inserted.Select(i => i.Id));
        MessageEvents.FolderAdded(events, organizationId, mailboxId, folderId, gained.Order());
        await _threader.AddEventsAsync(events, organizationId, mailboxId, cancellationToken);
        if (inserted.Count > 0)
        {
            await ContactLinker.LinkNewMessagesAsync(
                sql, events, organizationId, aliases, mailboxId, inserted.Min(i => i.Id), inserted.Max(i => i.Id), cancellationToken);
        }
    }

    private readonly BatchThreader _threader = new(context, sql, threading);

    private sealed record MailboxFacts(long MailboxId, long OrganizationId, bool ContactsOnly, bool Aliases, string? OwnAddress);

    /// <summary>
    /// Privacy scope "contacts": records the messages that name no contact of the organization as skipped (UID and
    /// flags only) and returns the others. A kept message replaces a skipped record of its UID (the contact backfill
    /// fetching what was skipped).
    /// </summary>
    private async Task<IReadOnlyList<IngestedMessage>> SkipUnrelatedAsync(
        long folderId, long organizationId, bool aliases, IReadOnlyList<IngestedMessage> batch, CancellationToken cancellationToken)
    {
        string Key(MessageAddress a) => aliases ? ContactAddresses.AliasKey(a.Normalized) : a.Normalized;
        var candidates = batch.SelectMany(m => LinkingAddresses(m.Message)).Select(Key).Distinct(StringComparer.Ordinal).ToList();
        var known = new HashSet<string>(StringComparer.Ordinal);
        var column = ContactLinker.MatchColumn(aliases);
        await sql.QueryInChunksAsync(
            $"SELECT DISTINCT {column} FROM contact_addresses WHERE organization_id = @p0 AND {column} IN ({{0}})",
            [organizationId], candidates.Select(a => StoredText.Indexed(a)).ToList(),
            reader => known.Add(reader.GetString(0)), cancellationToken);

        var kept = batch.Where(m => LinkingAddresses(m.Message).Any(a => known.Contains(StoredText.Indexed(Key(a))!))).ToList();
        var skipped = batch.Except(kept).ToList();
        if (skipped.Count > 0)
        {
            await sql.InsertRowsAsync(
                "INSERT INTO skipped_memberships (folder_id, uid, flags, keywords, skipped_at)", "ON CONFLICT (folder_id, uid) DO NOTHING", 5,
                [.. skipped.Select(m => new object?[] { folderId, (long)m.Fetched.Uid, (int)m.Fetched.Flags, Keywords.Join(m.Fetched.Keywords), context.ToDbTime(now) })],
                cancellationToken);
        }

        if (kept.Count > 0)
        {
            await sql.ExecuteInChunksAsync(
                "DELETE FROM skipped_memberships WHERE folder_id = @p0 AND uid IN ({0})", [folderId],
                kept.Select(m => (long)m.Fetched.Uid).ToList(), cancellationToken);
        }

        return kept;
    }

    private static IEnumerable<MessageAddress> LinkingAddresses(NormalizedMessage m) =>
        m.From.Concat(m.ReplyTo).Concat(m.To).Concat(m.Cc);

    private async Task WriteRawAsync(IReadOnlyList<IngestedMessage> batch, CancellationToken cancellationToken)
    {
        var distinct = new Dictionary<string, IngestedMessage>(StringComparer.Ordinal);
        foreach (var item in batch)
            distinct.TryAdd(item.RawSha256, item);

        // Skipping the ones present saves sending their bytes again: a re-sync or a second folder sends nothing.
        await sql.QueryInChunksAsync(
            "SELECT sha256 FROM raw_mime WHERE sha256 IN ({0})", [], [.. distinct.Keys],
            reader => distinct.Remove(reader.GetString(0)), cancellationToken);
        if (distinct.Count == 0)
            return;

        var rows = distinct.Values
            .Select(m => new object?[] { m.RawSha256, (long)m.Fetched.Raw.Length, m.Fetched.Raw })
            .ToList();
        await sql.InsertRowsAsync(
            "INSERT INTO raw_mime (sha256, size, data)", "ON CONFLICT (sha256) DO NOTHING", 3, rows, cancellationToken,
            rowBytes: row => (long)row[1]!, maxBytesPerStatement: MaxRawBytesPerStatement);
    }

    /// <summary>The message id of every identity in the batch, and the messages this batch inserted.</summary>
    private async Task<(Dictionary<string, long> Ids, List<(long Id, long ThreadId, IngestedMessage Message)> Inserted)> WriteMessagesAsync(
        long mailboxId, string? ownAddress, IReadOnlyList<IngestedMessage> batch, CancellationToken cancellationToken)
    {
        // The first copy of an identity in the batch is the one stored; the rest only add memberships.
        var firstByKey = new Dictionary<string, IngestedMessage>(StringComparer.Ordinal);
        foreach (var item in batch)
            firstByKey.TryAdd(StoredText.IdentityKey(item.IdentityKey), item);

        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        await FindMessagesAsync(mailboxId, [.. firstByKey.Keys], ids, cancellationToken);

        var toInsert = firstByKey.Where(p => !ids.ContainsKey(p.Key)).ToList();
        var inserted = new List<(long, long, IngestedMessage)>(toInsert.Count);
        if (toInsert.Count == 0)
            return (ids, inserted);

        // Threaded before they are inserted, so each row is written once, with its thread.
        var threader = _threader;
        var (threads, touched) = await threader.PlanAsync(mailboxId, ownAddress, [.. toInsert.Select(p => p.Value)], cancellationToken);
        var threadOf = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < toInsert.Count; i++)
            threadOf[toInsert[i].Key] = threads[i].ThreadId;
        var rows = toInsert.Select((p, i) => MessageRow(mailboxId, p.Key, p.Value, threads[i])).ToList();
        await sql.InsertRowsAsync(
            "INSERT INTO messages (mailbox_id, identity_key, raw_sha256, message_id_header, provider_thread_id, in_reply_to, reference_ids, subject, " +
            "date, internal_date, from_summary, to_summary, text_body, html_body, snippet, has_attachments, problems, " +
            "calendar_events, size, created_at, thread_id, thread_reason, thread_subject)",
            "ON CONFLICT (mailbox_id, identity_key) DO NOTHING RETURNING id, identity_key",
            MessageColumns, rows, cancellationToken,
            onRow: reader =>
            {
                var key = reader.GetString(1);
                ids[key] = reader.GetInt64(0);
                inserted.Add((reader.GetInt64(0), threadOf[key], firstByKey[key]));
            });

        // Rows another writer committed between our look-up and our insert were skipped by ON CONFLICT: use theirs.
        var raced = toInsert.Where(p => !ids.ContainsKey(p.Key)).Select(p => p.Key).ToList();
        if (raced.Count > 0)
            await FindMessagesAsync(mailboxId, raced, ids, cancellationToken);

        // Counts from the rows themselves: a thread planned for a message another writer stored first ends up empty and goes.
        await threader.SummarizeAsync(touched, cancellationToken);

        return (ids, inserted);
    }

    private Task FindMessagesAsync(long mailboxId, IReadOnlyList<string> keys, Dictionary<string, long> ids, CancellationToken cancellationToken) =>
        sql.QueryInChunksAsync(
            "SELECT identity_key, id FROM messages WHERE mailbox_id = @p0 AND identity_key IN ({0})", [mailboxId], keys,
            reader => ids[reader.GetString(0)] = reader.GetInt64(1), cancellationToken);

    private object?[] MessageRow(
        long mailboxId, string identityKey, IngestedMessage item, (long ThreadId, string Reason, string? SubjectKey) thread)
    {
        var m = item.Message;
        return
        [
            mailboxId,
            identityKey,
            item.RawSha256,
            StoredText.Indexed(m.MessageId),
            StoredText.CleanOrNull(item.Fetched.ProviderThreadId),
            StoredText.CleanOrNull(m.InReplyTo),
            m.References.Count == 0 ? null : Json(m.References.Select(StoredText.Clean).ToList()),
            StoredText.CleanOrNull(m.Subject),
            m.Date is { } date ? context.ToDbTime(date) : null,
            item.Fetched.InternalDate is { } internalDate ? context.ToDbTime(internalDate) : null,
            Summary(m.From),
            Summary(m.To),
            StoredText.CleanOrNull(m.TextBody),
            StoredText.CleanOrNull(m.HtmlBody),
            StoredText.Clean(m.Snippet),
            m.Attachments.Any(a => !a.IsInline),
            m.Problems.Count == 0 ? null : Json(m.Problems.Select(StoredText.Clean).ToList()),
            m.CalendarEvents.Count == 0 ? null : StoredText.Clean(JsonSerializer.Serialize(m.CalendarEvents, StorageJson.Default.IReadOnlyListCalendarEventInfo)),
            (long)item.Fetched.Raw.Length,
            context.ToDbTime(now),
            thread.ThreadId,
            thread.Reason,
            thread.SubjectKey,
        ];
    }

    private async Task WriteDetailsAsync(List<(long Id, long ThreadId, IngestedMessage Message)> inserted, CancellationToken cancellationToken)
    {
        var addresses = new List<object?[]>();
        var attachments = new List<object?[]>();
        foreach (var (id, _, item) in inserted)
        {
            var position = 0;
            foreach (var (role, address) in item.Message.AllAddresses())
            {
                addresses.Add(
                [
                    id, position++, RoleNames[(int)role], StoredText.CleanOrNull(address.Name),
                    StoredText.Indexed(address.Address), StoredText.Indexed(address.Normalized),
                    StoredText.Indexed(ContactAddresses.AliasKey(address.Normalized)),
                ]);
            }

            position = 0;
            foreach (var a in item.Message.Attachments)
            {
                attachments.Add(
                [
                    id, position++, StoredText.CleanOrNull(a.FileName), StoredText.Clean(a.ContentType), a.Size,
                    StoredText.CleanOrNull(a.ContentId), a.IsInline, a.PartPath,
                ]);
            }
        }

        if (addresses.Count > 0)
        {
            await sql.InsertRowsAsync(
                "INSERT INTO message_addresses (message_id, position, role, name, address, address_normalized, address_key)", "",
                7, addresses, cancellationToken);
        }

        if (attachments.Count > 0)
        {
            await sql.InsertRowsAsync(
                "INSERT INTO attachments (message_id, position, file_name, content_type, size, content_id, is_inline, part_path)", "",
                8, attachments, cancellationToken);
        }
    }

    /// <summary>Writes the batch's memberships; returns the messages that gained one (new to this folder).</summary>
    private async Task<HashSet<long>> WriteMembershipsAsync(
        long folderId, IReadOnlyList<IngestedMessage> batch, Dictionary<string, long> messageIds, CancellationToken cancellationToken)
    {
        var seen = new HashSet<uint>();
        var rows = new List<object?[]>(batch.Count);
        foreach (var item in batch)
        {
            if (!seen.Add(item.Fetched.Uid))
                continue;
            rows.Add(
            [
                folderId, messageIds[StoredText.IdentityKey(item.IdentityKey)], (long)item.Fetched.Uid, (int)item.Fetched.Flags,
                Keywords.Join(item.Fetched.Keywords), item.RawSha256, StoredText.CleanOrNull(item.Fetched.RemoteId),
            ]);
        }

        var gained = new HashSet<long>();
        await sql.InsertRowsAsync(
            "INSERT INTO folder_memberships (folder_id, message_id, uid, flags, keywords, raw_sha256, remote_id)",
            "ON CONFLICT DO NOTHING RETURNING message_id", 7, rows, cancellationToken,
            onRow: reader => gained.Add(reader.GetInt64(0)));
        return gained;
    }

    private static string? Summary(IReadOnlyList<MessageAddress> addresses) =>
        addresses.Count == 0 ? null : StoredText.Truncate(StoredText.Clean(string.Join(", ", addresses)), MaxSummaryLength);

    private static string Json(IReadOnlyList<string> values) => JsonSerializer.Serialize(values, StorageJson.Default.IReadOnlyListString);
}
