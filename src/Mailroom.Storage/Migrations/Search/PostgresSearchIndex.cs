using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Mailroom.Storage.Migrations.Search;

/// <summary>
/// PostgreSQL: one tsvector per message in its own table (deleted with the message by its foreign key) under a GIN
/// index, with the message's mailbox and date beside it. The vector is written as tsvector input text
/// (<see cref="Ingest.TsVectorLiteral"/>) of <see cref="Core.Search.SearchTokenizer"/>'s terms (folded, CJK in pairs):
/// no text search configuration, so no stemmer of one language mangles another and no extension is needed. The fields carry weights A (subject), B (sender), C (recipients) and
/// D (body and attachment names) so that from:, to: and subject: are weight-restricted lexemes of the same index.
/// Rows of messages stored before this migration are filled by <see cref="Ingest.SearchIndexBackfill"/>.
/// </summary>
[DbContext(typeof(PostgresMailroomDbContext))]
[Migration(SearchMigrationIds.SearchIndex)]
internal sealed class PostgresSearchIndex : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        // The mailbox and date beside the vector let a search filter and order its matches without reading the wide
        // messages rows. TOAST acts only on rows over about 2 KB; for those, a toast_tuple_target of 128 bytes moves the
        // vector out of line entirely, so long bodies do not widen the rows a date walk reads.
        migrationBuilder.Sql(
            "CREATE TABLE message_search (" +
            "message_id bigint NOT NULL PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE, " +
            "mailbox_id bigint NOT NULL, date timestamp with time zone NULL, " +
            "document tsvector NOT NULL) WITH (toast_tuple_target = 128);");
        migrationBuilder.Sql("CREATE INDEX ix_message_search_document ON message_search USING gin (document);");
        // Newest first within a mailbox, as results are ordered: a word in many messages is found by walking this.
        migrationBuilder.Sql("CREATE INDEX ix_message_search_mailbox_id_date ON message_search (mailbox_id, date DESC NULLS LAST, message_id DESC);");
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("DROP TABLE IF EXISTS message_search;");
}
