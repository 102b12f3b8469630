using Mailroom.Core.Messages;
using Mailroom.Core.Search;

namespace Mailroom.Storage.Ingest;

/// <summary>
/// Indexes messages that have no full-text index row: those stored before the index existed (the migration adds an
/// empty index; its tokenizer is C#, so SQL cannot fill it). Resumable by nature: each batch is its own transaction and
/// picks the next messages, in id order, that still lack a row, so a stop anywhere loses nothing and repeats nothing.
/// New messages never need it (ingest indexes them in their own transaction).
/// </summary>
public sealed class SearchIndexBackfill
{
    private const int MaxBodyRead = SearchDocument.MaxBodyLength;
    private readonly MailroomContextFactory _contexts;

    internal SearchIndexBackfill(MailroomContextFactory contexts) => _contexts = contexts;

    /// <summary>
    /// Indexes up to <paramref name="batchSize"/> unindexed messages with an id above <paramref name="afterId"/>; returns
    /// how many it indexed and the highest id it looked at (pass it back as <paramref name="afterId"/>), or null when
    /// no unindexed message is left after <paramref name="afterId"/>.
    /// </summary>
    public async Task<(int Indexed, long? LastId)> IndexNextAsync(long afterId, int batchSize, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(_contexts, cancellationToken);
        var (db, sql) = (transaction.Db, transaction.Sql);
        var missing = db.Provider == StorageProvider.Sqlite
            // The FTS5 table's own docsize table has one row per indexed message, keyed by its id.
            ? "SELECT 1 FROM message_search_docsize d WHERE d.id = m.id"
            : "SELECT 1 FROM message_search s WHERE s.message_id = m.id";
        var rows = new List<(long Id, string? Subject, string? Text, string? Html)>();
        await sql.QueryAsync(
            $"SELECT m.id, m.subject, substr(m.text_body, 1, {MaxBodyRead}), substr(m.html_body, 1, {MaxBodyRead * 4}) FROM messages m " +
            $"WHERE m.id > @p0 AND NOT EXISTS ({missing}) ORDER BY m.id LIMIT @p1",
            [afterId, batchSize],
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
        long after = 0;
        while (true)
        {
            var (indexed, last) = await IndexNextAsync(after, batchSize, cancellationToken);
            if (last is not { } next)
                return total;
            total += indexed;
            after = next;
        }
    }

    private static string? Text(System.Data.Common.DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
