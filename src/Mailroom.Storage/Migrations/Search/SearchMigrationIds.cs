namespace Mailroom.Storage.Migrations.Search;

/// <summary>
/// The full-text index is DDL that EF Core's model cannot express (an FTS5 virtual table, a tsvector column with a GIN
/// index), so it lives in hand-written migrations here, outside the generated Migrations/Sqlite and
/// Migrations/Postgres folders that are deleted and regenerated as one Initial migration. Their id sorts after any
/// Initial generated before 2099, so a new database always gets the tables first (docs/search.md, "Migrations").
/// </summary>
internal static class SearchMigrationIds
{
    public const string SearchIndex = "20991231000000_SearchIndex";
}
