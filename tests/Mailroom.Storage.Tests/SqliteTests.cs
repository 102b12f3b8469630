using Mailroom.Storage.Model;
using Mailroom.Storage.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Storage.Tests;

/// <summary>What only SQLite needs: the file's journal mode and each connection's settings.</summary>
public sealed class SqliteTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>
{
    [Fact]
    public void Data_folder_connection_string_points_at_mailroom_db()
    {
        var builder = new SqliteConnectionStringBuilder(StorageOptions.SqliteConnectionString("data"));
        Assert.Equal(Path.Combine(Path.GetFullPath("data"), "mailroom.db"), builder.DataSource);
        Assert.True(builder.ForeignKeys);
    }

    [Fact]
    public async Task Database_is_in_wal_mode_with_large_pages_and_per_connection_settings()
    {
        await using var db = database.Services.GetRequiredService<MailroomContextFactory>().Create();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);

        Assert.Equal("wal", await Pragma(db, "journal_mode"));
        Assert.Equal(32768L, await Pragma(db, "page_size"));
        Assert.Equal(-32768L, await Pragma(db, "cache_size"));
        Assert.Equal(1L, await Pragma(db, "synchronous")); // NORMAL
        Assert.Equal(1L, await Pragma(db, "foreign_keys"));
        Assert.Equal(30000L, await Pragma(db, "busy_timeout"));
    }

    [Fact]
    public async Task A_pooled_connection_keeps_its_settings_when_opened_again()
    {
        // The settings are applied once per native connection: every later open of the pooled one must still have them.
        for (var open = 0; open < 3; open++)
        {
            await using var db = database.Services.GetRequiredService<MailroomContextFactory>().Create();
            await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
            Assert.Equal((-32768L, 1L, 1L, 30000L),
                (await Pragma(db, "cache_size"), await Pragma(db, "synchronous"), await Pragma(db, "foreign_keys"), await Pragma(db, "busy_timeout")));
            await db.Database.CloseConnectionAsync();
        }
    }

    [Fact]
    public void Options_without_a_connection_string_are_refused() =>
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddMailroomStorage(new StorageOptions()));

    private static async Task<object?> Pragma(MailroomDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA " + name;
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }
}
