using System.Globalization;
using System.Text.Json;
using Mailroom.Core.Messages;
using Mailroom.Core.Storage;
using Mailroom.Core.Threading;
using Mailroom.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Storage;

/// <summary>
/// Threads the new messages of a batch against what the mailbox stores, inside the batch's transaction, before they
/// are inserted (so each row is written once, with its thread): one look-up of the batch's keys in
/// <c>thread_keys</c>, one of stored messages sharing a subject key, then <see cref="ThreadPlanner"/>. Merging threads
/// when a late parent arrives rewrites the merged threads' ids in SQL.
/// </summary>
internal sealed class BatchThreader(MailroomDbContext context, BatchSql sql, ThreadingOptions options)
{
    private readonly Dictionary<long, List<long>> _merged = [];
    private HashSet<long> _summarized = [];

    /// <summary>Per new message (same order), its thread id, reason and subject key; and the threads touched.</summary>
    public async Task<(List<(long ThreadId, string Reason, string? SubjectKey)> Rows, HashSet<long> Touched)> PlanAsync(
        long mailboxId, IReadOnlyList<IngestedMessage> items, CancellationToken cancellationToken)
    {
        var batch = new List<ThreadableMessage>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            // Ids above every stored row's: among messages of the same date, the batch's come last.
            batch.Add(ThreadableMessage.From(long.MaxValue - items.Count + i, items[i].Message, items[i].Fetched.ProviderThreadId));
        }

        var storedKeys = await FindKeysAsync(mailboxId, batch, cancellationToken);
        var candidates = await FindCandidatesAsync(mailboxId, batch, cancellationToken);
        var rule = new SubjectRule(options.SubjectWindow, await OwnAddressesAsync(mailboxId, cancellationToken));
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
            result.Add((id, plan.Assignments[i].Reason.ToString(), StoredText.Indexed(SubjectRule.KeyOf(batch[i]))));
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

    private async Task<List<StoredThreadMember>> FindCandidatesAsync(long mailboxId, List<ThreadableMessage> batch, CancellationToken cancellationToken)
    {
        var subjects = batch.Select(SubjectRule.KeyOf).OfType<string>().Select(k => StoredText.Indexed(k)!).Distinct().ToList();
        if (subjects.Count == 0)
            return [];

        var rows = await context.Messages
            .Where(m => m.MailboxId == mailboxId && m.ThreadId != null && subjects.Contains(m.ThreadSubject!))
            .Select(m => new { m.Id, m.ThreadId, m.MessageIdHeader, m.InReplyTo, m.ReferenceIds, m.Subject, m.Date, m.ProviderThreadId })
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
            return [];

        var ids = rows.Select(r => r.Id).ToList();
        var addresses = (await context.Addresses
            .Where(a => ids.Contains(a.MessageId) && (a.Role == AddressRole.From || a.Role == AddressRole.To || a.Role == AddressRole.Cc))
            .Select(a => new { a.MessageId, a.AddressNormalized })
            .ToListAsync(cancellationToken))
            .ToLookup(a => a.MessageId, a => a.AddressNormalized);

        return [.. rows.Select(r => new StoredThreadMember(
            new ThreadableMessage(
                r.Id, r.MessageIdHeader, r.InReplyTo,
                r.ReferenceIds is null ? [] : JsonSerializer.Deserialize(r.ReferenceIds, StorageJson.Default.IReadOnlyListString) ?? [],
                r.Subject, r.Date, [.. addresses[r.Id].Distinct(StringComparer.Ordinal)], r.ProviderThreadId),
            r.ThreadId!.Value))];
    }

    private async Task<IReadOnlyCollection<string>> OwnAddressesAsync(long mailboxId, CancellationToken cancellationToken)
    {
        // The mailbox's own address, not its login (which may be no address at all).
        var own = await sql.ScalarAsync("SELECT address FROM mailboxes WHERE id = @p0", [mailboxId], cancellationToken);
        return own is string address ? [address.ToLower(CultureInfo.InvariantCulture)] : [];
    }
}
