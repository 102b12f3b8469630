using Mailroom.Core.Messages;
using Mailroom.Core.Search;

namespace Mailroom.Storage.Ingest;

/// <summary>
/// Indexes messages that have no full-text index row: those stored before the index existed (the migration adds an
/// empty index; its tokenizer is C#, so SQL cannot fill it). It works newest first. Ingest indexes every message it
/// stores in the same transaction, and ids only grow, so the unindexed messages are always exactly those below the
/// lowest indexed id: what is left is one look-up at the low end of two primary keys, not a scan, and costs nothing
/// measurable once everything is indexed (every start of <c>serve</c>, every <c>mailroom search</c>). Each batch is its
/// own transaction, so a stop anywhere loses nothing and repeats nothing.
/// </summary>
public sealed class SearchIndexBackfill
{
    private const int MaxBodyRead = SearchDocument.MaxBodyLength;
    private readonly MailroomContextFactory _contexts;

    internal SearchIndexBackfill(MailroomContextFactory contexts) => _contexts = contexts;

    /// <summary>
    /// Indexes up to <paramref name="batchSize"/> of the newest unindexed messages; returns how many it indexed and the
    /// lowest id among them (every message from it up is indexed now), or (0, null) when none was left.
    /// </summary>
    public async Task<(int Indexed, long? LastId)> IndexNextAsync(int batchSize, CancellationToken cancellationToken)
    {
        // Asked first outside the write transaction (which on SQLite takes the database's write lock): when nothing is
        // left, as on every start after the first, nobody waits behind a sync's batch for an answer of "nothing".
        if (!await AnyLeftAsync(cancellationToken))
            return (0, null);

        await using var transaction = await StoreTransaction.BeginAsync(_contexts, cancellationToken);
        var (db, sql) = (transaction.Db, transaction.Sql);
        var rows = new List<(long Id, string? Subject, string? Text, string? Html)>();
        await sql.QueryAsync(
            $"SELECT m.id, m.subject, substr(m.text_body, 1, {MaxBodyRead}), substr(m.html_body, 1, {MaxBodyRead * 4}) FROM messages m " +
            $"WHERE m.id < {LowestIndexed(db.Provider)} ORDER BY m.id DESC LIMIT @p0",
            [batchSize],
            reader => rows.Add((reader.GetInt64(0), Text(reader, 1), Text(reader, 2), Text(reader, 3))),
            cancellationToken);
        if (rows.Count == 0)
            return (0, null);

        var ids = rows.Select(r => r.Id).ToList();
        var people = new Dictionary<long, List<(AddressRole Role, string? Name, string Address)>>();
        await sql.QueryInChunksAsync(
            "SELECT message_id, role, name, address FROM message_addresses WHERE message_id IN ({0}) ORDER BY message_id, position", [], ids,
            reader =>
            {
                var id = reader.GetInt64(0);
                if (!people.TryGetValue(id, out var list))
                    people[id] = list = [];
                list.Add((Enum.Parse<AddressRole>(reader.GetString(1)), Text(reader, 2), reader.GetString(3)));
            },
            cancellationToken);
        var files = new Dictionary<long, List<string?>>();
        await sql.QueryInChunksAsync(
            "SELECT message_id, file_name FROM attachments WHERE message_id IN ({0}) AND file_name IS NOT NULL ORDER BY message_id, position", [], ids,
            reader =>
            {
                var id = reader.GetInt64(0);
                if (!files.TryGetValue(id, out var list))
                    files[id] = list = [];
                list.Add(reader.GetString(1));
            },
            cancellationToken);

        var documents = rows.Select(r =>
        {
            var addresses = people.GetValueOrDefault(r.Id) ?? [];
            return (r.Id, SearchDocument.Create(
                r.Subject,
                addresses.Where(a => a.Role is AddressRole.From or AddressRole.Sender).Select(a => (a.Name, a.Address)),
                addresses.Where(a => a.Role is AddressRole.To or AddressRole.Cc or AddressRole.Bcc).Select(a => (a.Name, a.Address)),
                r.Text, r.Html, files.GetValueOrDefault(r.Id) ?? []));
        }).ToList();
        await SearchIndexWriter.WriteAsync(sql, db.Provider, documents, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (rows.Count, rows[^1].Id);
    }

    /// <summary>Indexes every message that lacks a row, batch by batch; returns how many it indexed.</summary>
    public async Task<long> IndexAllAsync(int batchSize, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            var (indexed, _) = await IndexNextAsync(batchSize, cancellationToken);
            if (indexed == 0)
                return total;
            total += indexed;
        }
    }

    // Two look-ups at the low end of two primary keys. (Not "any message below the boundary": PostgreSQL may answer
    // that by a scan of the table, which finds nothing after reading all of it.)
    private async Task<bool> AnyLeftAsync(CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var query = $"SELECT coalesce((SELECT min(m.id) FROM messages m) < {LowestIndexed(db.Provider)}, false) AS \"Value\"";
        return await db.Database.SqlQueryRaw<bool>(query).SingleAsync(cancellationToken);
    }

    // The lowest indexed id (past every id while the index is empty). On SQLite the FTS5 table's own docsize table has
    // one row per indexed message, keyed by its id.
    private static string LowestIndexed(StorageProvider provider) =>
        "coalesce(" +
        (provider == StorageProvider.Sqlite ? "(SELECT min(d.id) FROM message_search_docsize d)" : "(SELECT min(s.message_id) FROM message_search s)") +
        $", {long.MaxValue})";

    private static string? Text(System.Data.Common.DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
