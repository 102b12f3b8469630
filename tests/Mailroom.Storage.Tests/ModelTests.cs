using Mailroom.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Storage.Tests;

/// <summary>The checks CI makes without a database: each provider's migrations match the model.</summary>
public sealed class ModelTests
{
    [Fact]
    public void Sqlite_migrations_have_no_pending_model_changes()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run dotnet ef migrations add <Name> --context SqliteMailroomDbContext --output-dir Migrations/Sqlite");
    }

    [Fact]
    public void Postgres_migrations_have_no_pending_model_changes()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run dotnet ef migrations add <Name> --context PostgresMailroomDbContext --output-dir Migrations/Postgres");
    }

    [Fact]
    public void Tables_and_columns_are_snake_case()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).Order().ToList();
        Assert.Equal(
            ["api_keys", "attachments", "cluster_secrets", "contact_addresses", "contacts", "data_protection_keys", "event_cursors", "events",
                "folder_memberships", "folders", "mailbox_leases", "mailboxes", "message_addresses",
                "message_contacts", "messages", "organizations", "outbox", "raw_mime", "skipped_memberships", "thread_keys", "threads", "users",
                "webhook_attempts", "webhook_deliveries", "webhook_subscriptions"],
            tables);
        var columns = db.Model.GetEntityTypes().SelectMany(e => e.GetProperties().Select(p => p.GetColumnName())).ToList();
        Assert.All(columns, c => Assert.Matches("^[a-z][a-z0-9_]*$", c));
        Assert.Contains("highest_mod_seq", columns);
        Assert.Contains("raw_sha256", columns);
    }

    [Theory]
    [InlineData("HighestModSeq", "highest_mod_seq")]
    [InlineData("RawSha256", "raw_sha256")]
    [InlineData("Id", "id")]
    [InlineData("UserName", "user_name")]
    public void Snake_case_names(string name, string expected) => Assert.Equal(expected, SnakeCaseNames.ToSnakeCase(name));
}
