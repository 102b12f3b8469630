using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Mailroom.Storage.Sql;

/// <summary>
/// The events of one transaction, kept in memory while it makes its change and written by <see cref="FlushAsync"/>
/// as its last statements, just before COMMIT (<see cref="StoreTransaction.CommitAsync"/> does both).
/// <para>
/// Ordering: a changes-feed reader remembers the last id it saw, so ids must become visible in increasing order.
/// SQLite has one writer at a time, so that holds by itself. On PostgreSQL ids come from a sequence when the rows are
/// inserted, and concurrent transactions commit in any order: a reader could see id 12 committed while id 11 is still
/// in flight, move its cursor past 11 and never see it. So before inserting its events a transaction takes a
/// transaction-scoped advisory lock, which it holds until it has committed (PostgreSQL releases locks after the
/// commit is visible). The next writer draws its ids only after that, so every id drawn later commits later. The lock
/// covers only the event inserts and the commit (no row locks are taken under it, so it cannot deadlock), and the
/// transactions without events never take it.
/// </para>
/// </summary>
internal sealed class PendingEvents(MailroomDbContext context, DateTimeOffset now)
{
    /// <summary>The advisory lock key: "MREV" in ASCII, far from anything else this database might lock.</summary>
    public const long OrderLockKey = 0x4D524556;

    private const int Columns = 9;
    private readonly List<object?[]> _rows = [];

    public void Add(
        long organizationId, string type, string data,
        long? mailboxId = null, long? messageId = null, long? threadId = null, long? contactId = null, long? outboxId = null) =>
        _rows.Add([organizationId, type, mailboxId, messageId, threadId, contactId, outboxId, data, context.ToDbTime(now)]);

    /// <summary>Writes the events (taking the order lock on PostgreSQL) and reports whether there were any; the caller commits.</summary>
    public async Task<bool> FlushAsync(BatchSql sql, CancellationToken cancellationToken)
    {
        if (_rows.Count == 0)
            return false;
        if (context.Provider == StorageProvider.Postgres)
            await sql.ScalarAsync("SELECT pg_advisory_xact_lock(@p0)", [OrderLockKey], cancellationToken);
        await sql.InsertRowsAsync(
            "INSERT INTO events (organization_id, type, mailbox_id, message_id, thread_id, contact_id, outbox_id, data, created_at)", "",
            Columns, _rows, cancellationToken);
        _rows.Clear();
        return true;
    }

    /// <summary>A JSON object written by <paramref name="write"/> (camelCase names, as the API uses).</summary>
    public static string Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
