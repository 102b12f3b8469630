using Microsoft.Data.Sqlite;

namespace Mailroom.Storage.Tests.Infrastructure;

/// <summary>SQLite in a temporary data folder.</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    public override string? SkipReason => null;

    public override Task<StorageOptions> CreateDatabaseAsync() =>
        Task.FromResult(StorageOptions.ForDataFolder(Directory.CreateTempSubdirectory("mailroom-storage-").FullName));

    public override Task DropDatabaseAsync(StorageOptions options)
    {
        SqliteConnection.ClearAllPools();
        var file = new SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        return Task.CompletedTask;
    }
}
