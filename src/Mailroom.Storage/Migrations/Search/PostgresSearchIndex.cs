using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Mailroom.Storage.Migrations.Search;

/// <summary>
/// PostgreSQL: one tsvector per message in its own table (deleted with the message by its foreign key) under a GIN
/// index. The vector is built with the built-in <c>simple</c> configuration, which only lower-cases: the text is
/// <see cref="Core.Search.SearchTokenizer"/> output already (folded, CJK in pairs), so no stemmer of one language
/// mangles another and no extension is needed. The fields carry weights A (subject), B (sender), C (recipients) and
/// D (body and attachment names) so that from:, to: and subject: are weight-restricted lexemes of the same index.
/// Rows of messages stored before this migration are filled by <see cref="Queries.SearchIndexBackfill"/>.
/// </summary>
[DbContext(typeof(PostgresMailroomDbContext))]
[Migration(SearchMigrationIds.SearchIndex)]
internal sealed class PostgresSearchIndex : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql(
            "CREATE TABLE message_search (" +
            "message_id bigint NOT NULL PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE, " +
            "document tsvector NOT NULL);");
        migrationBuilder.Sql("CREATE INDEX ix_message_search_document ON message_search USING gin (document);");
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("DROP TABLE IF EXISTS message_search;");
}
