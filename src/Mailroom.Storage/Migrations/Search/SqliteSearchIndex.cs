using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Mailroom.Storage.Migrations.Search;

/// <summary>
/// SQLite: a contentless FTS5 table keyed by message id (the text is in the messages table already; contentless_delete
/// lets a row go by its id alone) and a trigger that removes a message's row whenever the message goes, whichever
/// statement or cascade deletes it. The text it indexes is <see cref="Core.Search.SearchTokenizer"/> output, so
/// unicode61 only splits it on spaces; remove_diacritics 2 keeps a query typed straight into FTS5 folding the same way.
/// Rows of messages stored before this migration are filled by <see cref="Ingest.SearchIndexBackfill"/>.
/// </summary>
[DbContext(typeof(SqliteMailroomDbContext))]
[Migration(SearchMigrationIds.SearchIndex)]
internal sealed class SqliteSearchIndex : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql(
            "CREATE VIRTUAL TABLE message_search USING fts5(subject, sender, recipients, body, " +
            "content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');");
        // Merge segments 8 at a time instead of 4: ingest commits every batch as a new segment, and halving the merge
        // passes halved FTS5's write cost in a file database (bench/RESULTS.md, "Search"), for a slightly larger index.
        migrationBuilder.Sql("INSERT INTO message_search (message_search, rank) VALUES ('automerge', 8);");
        migrationBuilder.Sql(
            "CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN " +
            "DELETE FROM message_search WHERE rowid = old.id; END;");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS message_search_delete;");
        migrationBuilder.Sql("DROP TABLE IF EXISTS message_search;");
    }
}
