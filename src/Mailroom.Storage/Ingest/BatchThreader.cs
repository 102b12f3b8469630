using System.Text;
using System.Text.Json;
using Mailroom.Core.Messages;
using Mailroom.Core.Threading;

namespace Mailroom.Storage.Ingest;

/// <summary>
/// Threads the new messages of a batch against what the mailbox stores, inside the batch's transaction, before they
/// are inserted (so each row is written once, with its thread): one look-up of the batch's keys in
/// <c>thread_keys</c>, one of stored messages sharing a subject key, then <see cref="ThreadPlanner"/>. Merging threads
/// when a late parent arrives rewrites the merged threads' ids in SQL.
/// </summary>
internal sealed class BatchThreader(MailroomDbContext context, BatchSql sql, ThreadingOptions options)
{
    /// <summary>Subject-join candidates per subject key and batch: half before the batch's middle, half after.</summary>
    internal const int MaxCandidatesPerSubject = 256;

    // Two compound terms and four parameters each: well inside SQLite's 500 terms and its parameter budget.
    private const int SubjectsPerStatement = 25;

    private readonly Dictionary<long, List<long>> _merged = [];
    private HashSet<long> _summarized = [];

    /// <summary>Per new message (same order), its thread id, reason and subject key; and the threads touched.</summary>
    /// <param name="ownAddress">The mailbox's own address (not its login), which the subject rule does not count as shared.</param>
    public async Task<(List<(long ThreadId, string Reason, string? SubjectKey)> Rows, HashSet<long> Touched)> PlanAsync(
        long mailboxId, string? ownAddress, IReadOnlyList<IngestedMessage> items, CancellationToken cancellationToken)
    {
        var batch = new List<ThreadableMessage>(items.Count);
        var subjectKeys = new string?[items.Count]; // worked out once: the candidates' lookup and the stored rows use them
        for (var i = 0; i < items.Count; i++)
        {
            // Ids above every stored row's: among messages of the same date, the batch's come last.
            batch.Add(ThreadableMessage.From(long.MaxValue - items.Count + i, items[i].Message, items[i].Fetched.ProviderThreadId));
            subjectKeys[i] = SubjectRule.KeyOf(batch[i]);
        }

        var storedKeys = await FindKeysAsync(mailboxId, batch, cancellationToken);
        // Switched off, nothing is looked up for the rule; subject keys are still stored, so switching it on again works.
        var candidates = options.SubjectJoins ? await FindCandidatesAsync(mailboxId, batch, subjectKeys, cancellationToken) : [];
        var rule = new SubjectRule(options.SubjectWindow, ownAddress is null ? [] : [ownAddress], options.SubjectJoins);
        var plan = ThreadPlanner.Plan(batch, storedKeys, candidates, rule);

        var touched = new HashSet<long>();
        foreach (var group in plan.Merges.GroupBy(m => m.Into))
        {
            var from = group.Select(m => m.From).ToList();
            await sql.ExecuteInChunksAsync("UPDATE messages SET thread_id = @p0 WHERE thread_id IN ({0})", [group.Key], from, cancellationToken);
            await sql.ExecuteInChunksAsync("UPDATE thread_keys SET thread_id = @p0 WHERE thread_id IN ({0})", [group.Key], from, cancellationToken);
            await sql.ExecuteInChunksAsync("DELETE FROM threads WHERE id IN ({0})", [], from, cancellationToken);
            touched.Add(group.Key);
            if (!_merged.TryGetValue(group.Key, out var into))
                _merged[group.Key] = into = [];
            into.AddRange(from);
        }

        var created = new List<long>(plan.NewThreads);
        if (plan.NewThreads > 0)
        {
            var rows = Enumerable.Range(0, plan.NewThreads).Select(_ => new object?[] { mailboxId, 0 }).ToList();
            await sql.InsertRowsAsync(
                "INSERT INTO threads (mailbox_id, message_count)", "RETURNING id", 2, rows, cancellationToken,
                onRow: reader => created.Add(reader.GetInt64(0)));
        }

        long IdOf(ThreadRef thread) => thread.IsNew ? created[(int)thread.Value] : thread.Value;
        var result = new List<(long, string, string?)>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var id = IdOf(plan.Assignments[i].Thread);
            touched.Add(id);
            result.Add((id, plan.Assignments[i].Reason.ToString(), StoredText.Indexed(subjectKeys[i])));
        }

        var keyRows = new List<object?[]>(plan.NewKeys.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, thread) in plan.NewKeys)
        {
            var stored = StoredText.Indexed(key)!;
            if (seen.Add(stored))
                keyRows.Add([mailboxId, stored, IdOf(thread)]);
        }

        if (keyRows.Count > 0)
        {
            await sql.InsertRowsAsync(
                "INSERT INTO thread_keys (mailbox_id, key, thread_id)", "ON CONFLICT (mailbox_id, key) DO NOTHING", 3, keyRows, cancellationToken);
        }

        return (result, touched);
    }

    /// <summary>Counts, dates and subject of the threads from their messages; threads left empty are removed.</summary>
    public async Task SummarizeAsync(HashSet<long> touched, CancellationToken cancellationToken)
    {
        if (touched.Count == 0)
            return;
        _summarized = touched;
        var ids = touched.ToList();
        await sql.ExecuteInChunksAsync(
            "UPDATE threads SET " +
            "message_count = (SELECT COUNT(*) FROM messages m WHERE m.thread_id = threads.id), " +
            "first_date = (SELECT MIN(m.date) FROM messages m WHERE m.thread_id = threads.id), " +
            "last_date = (SELECT MAX(m.date) FROM messages m WHERE m.thread_id = threads.id), " +
            // The thread's subject column is bounded (PostgreSQL enforces it); a message's subject is not.
            $"subject = (SELECT SUBSTR(m.subject, 1, {StoredText.MaxIndexedLength}) FROM messages m " +
            "WHERE m.thread_id = threads.id ORDER BY m.date, m.id LIMIT 1) " +
            "WHERE id IN ({0})", [], ids, cancellationToken);
        await sql.ExecuteInChunksAsync("DELETE FROM threads WHERE message_count = 0 AND id IN ({0})", [], ids, cancellationToken);
    }

    /// <summary>thread.updated for every thread the batch touched that still exists (new ones included), with the threads it absorbed.</summary>
    public async Task AddEventsAsync(PendingEvents events, long organizationId, long mailboxId, CancellationToken cancellationToken)
    {
        if (_summarized.Count == 0)
            return;
        var rows = new List<(long Id, int Count, string? Subject)>();
        await sql.QueryInChunksAsync(
            "SELECT id, message_count, subject FROM threads WHERE id IN ({0}) ORDER BY id", [], _summarized.Order().ToList(),
            reader => rows.Add((reader.GetInt64(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2))), cancellationToken);
        foreach (var (id, count, subject) in rows.OrderBy(r => r.Id))
        {
            events.Add(organizationId, Core.Events.EventTypes.ThreadUpdated, PendingEvents.Json(w =>
            {
                w.WriteNumber("mailboxId", mailboxId);
                w.WriteNumber("threadId", id);
                w.WriteNumber("messageCount", count);
                if (subject is null)
                    w.WriteNull("subject");
                else
                    w.WriteString("subject", subject);
                w.WriteStartArray("mergedThreadIds");
                foreach (var from in _merged.GetValueOrDefault(id) ?? [])
                    w.WriteNumberValue(from);
                w.WriteEndArray();
            }), mailboxId: mailboxId, threadId: id);
        }
    }

    private async Task<Dictionary<string, long>> FindKeysAsync(long mailboxId, List<ThreadableMessage> batch, CancellationToken cancellationToken)
    {
        var byStored = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var message in batch)
        {
            foreach (var key in ThreadKeys.For(message))
            {
                var stored = StoredText.Indexed(key)!;
                if (!byStored.TryGetValue(stored, out var originals))
                    byStored[stored] = originals = [];
                if (!originals.Contains(key))
                    originals.Add(key);
            }
        }

        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await sql.QueryInChunksAsync(
            "SELECT key, thread_id FROM thread_keys WHERE mailbox_id = @p0 AND key IN ({0})", [mailboxId], [.. byStored.Keys],
            reader =>
            {
                foreach (var original in byStored[reader.GetString(0)])
                    result[original] = reader.GetInt64(1);
            },
            cancellationToken);
        return result;
    }

    /// <summary>
    /// Stored messages the subject rule could join to the batch: same subject key and a date within the rule's window
    /// of a batch message with that key (no other can ever join), at most <see cref="MaxCandidatesPerSubject"/> per key,
    /// nearest to the batch's messages first. The look-up is bounded by the batch, never by how often a subject recurs
    /// in the mailbox; a subject seen more often than the cap inside one window is a stream (notifications, newsletters)
    /// whose nearest messages are enough.
    /// </summary>
    private async Task<List<StoredThreadMember>> FindCandidatesAsync(
        long mailboxId, List<ThreadableMessage> batch, string?[] subjectKeys, CancellationToken cancellationToken)
    {
        var ranges = new Dictionary<string, (DateTimeOffset First, DateTimeOffset Last)>(StringComparer.Ordinal);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal); // stored (bounded) key → the batch's key
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Date is not { } date || subjectKeys[i] is not { } key)
                continue;
            var stored = StoredText.Indexed(key)!;
            keys.TryAdd(stored, key);
            ranges[stored] = ranges.TryGetValue(stored, out var range)
                ? (date < range.First ? date : range.First, date > range.Last ? date : range.Last)
                : (date, date);
        }

        if (ranges.Count == 0)
            return [];

        // The terms select disjoint rows (one subject each, dates split at the batch's middle): no message comes twice.
        var rows = new List<StoredThreadMember>();
        foreach (var chunk in ranges.Chunk(SubjectsPerStatement))
        {
            var values = new List<object?>(1 + (chunk.Length * 4)) { mailboxId };
            var statement = new StringBuilder();
            foreach (var (subject, (first, last)) in chunk)
            {
                var p = values.Count;
                values.Add(subject);
                values.Add(context.ToDbTime(first - options.SubjectWindow));
                values.Add(context.ToDbTime(first + ((last - first) / 2)));
                values.Add(context.ToDbTime(last + options.SubjectWindow));
                AppendNearest(statement, $"date >= @p{p + 1} AND date <= @p{p + 2}", "DESC", p);
                AppendNearest(statement, $"date > @p{p + 2} AND date <= @p{p + 3}", "ASC", p);
            }

            await sql.QueryAsync(statement.ToString(), values, reader => rows.Add(new StoredThreadMember(new ThreadableMessage(
                reader.GetInt64(0),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? [] : JsonSerializer.Deserialize(reader.GetString(4), StorageJson.Default.IReadOnlyListString) ?? [],
                reader.IsDBNull(5) ? null : reader.GetString(5),
                context.ReadDbTime(reader, 6),
                [],
                reader.IsDBNull(7) ? null : reader.GetString(7)), reader.GetInt64(1), keys[reader.GetString(8)])), cancellationToken);
        }

        if (rows.Count == 0)
            return [];

        var participants = new Dictionary<long, List<string>>();
        await sql.QueryInChunksAsync(
            "SELECT message_id, address_normalized FROM message_addresses WHERE message_id IN ({0}) AND role IN (" +
            $"'{nameof(AddressRole.From)}', '{nameof(AddressRole.To)}', '{nameof(AddressRole.Cc)}')",
            [], rows.Select(r => r.Message.Id).ToList(),
            reader =>
            {
                var id = reader.GetInt64(0);
                if (!participants.TryGetValue(id, out var list))
                    participants[id] = list = [];
                var address = reader.GetString(1);
                if (!list.Contains(address, StringComparer.Ordinal))
                    list.Add(address);
            },
            cancellationToken);

        return [.. rows.Select(r => r with { Message = r.Message with { Participants = participants.GetValueOrDefault(r.Message.Id) ?? [] } })];

        void AppendNearest(StringBuilder statement, string dates, string order, int p)
        {
            // Each term is its own sub-select so that its ORDER BY and LIMIT apply to it alone (SQLite and PostgreSQL).
            if (statement.Length > 0)
                statement.Append(" UNION ALL ");
            statement.Append("SELECT * FROM (SELECT id, thread_id, message_id_header, in_reply_to, reference_ids, subject, date, provider_thread_id, thread_subject ")
                .Append("FROM messages WHERE mailbox_id = @p0 AND thread_subject = @p").Append(p).Append(" AND ").Append(dates)
                .Append(" AND thread_id IS NOT NULL ORDER BY date ").Append(order).Append(", id ").Append(order)
                .Append(" LIMIT ").Append(MaxCandidatesPerSubject / 2).Append(") AS c").Append(statement.Length);
        }
    }
}
