using Mailroom.Core.Search;

namespace Mailroom.Storage.Ingest;

/// <summary>
/// Writes messages' <see cref="SearchDocument"/>s into the full-text index (Migrations/Search), inside the caller's
/// transaction: ingest writes a message and its index row together, so a stored message is always findable.
/// </summary>
internal static class SearchIndexWriter
{
    // One statement for the whole batch on PostgreSQL (arrays unnested server-side), since each statement is a round trip.
    private const string PostgresInsert =
        "INSERT INTO message_search (message_id, mailbox_id, date, document) " +
        "SELECT v.id, m.mailbox_id, m.date, v.document::tsvector FROM unnest(@p0, @p1) AS v (id, document) JOIN messages m ON m.id = v.id " +
        "ON CONFLICT (message_id) DO NOTHING";

    public static async Task WriteAsync(BatchSql sql, StorageProvider provider, IReadOnlyList<(long Id, SearchDocument Document)> documents, CancellationToken cancellationToken)
    {
        if (documents.Count == 0)
            return;
        if (provider == StorageProvider.Postgres)
        {
            await using var command = sql.Command(PostgresInsert,
            [
                documents.Select(d => d.Id).ToArray(),
                documents.Select(d => TsVectorLiteral.Of(d.Document)).ToArray(),
            ]);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

        await sql.InsertRowsAsync(
            "INSERT INTO message_search (rowid, subject, sender, recipients, body)", "", 5,
            [.. documents.Select(d => new object?[] { d.Id, d.Document.Subject, d.Document.Sender, d.Document.Recipients, d.Document.Body })],
            cancellationToken);
    }
}
