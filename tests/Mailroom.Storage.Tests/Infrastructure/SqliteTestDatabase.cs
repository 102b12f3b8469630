using Mailroom.TestSupport;
using Microsoft.Data.Sqlite;

namespace Mailroom.Storage.Tests.Infrastructure;

/// <summary>SQLite in a temporary data folder.</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    public override string? SkipReason => null;

    public override Task<StorageOptions> CreateDatabaseAsync() =>
        Task.FromResult(StorageOptions.ForDataFolder(TestArtifacts.CreateDataFolder("mailroom-storage-")));

    public override StorageOptions MissingDatabase() =>
        StorageOptions.ForDataFolder(Path.Combine(TestArtifacts.CreateDataFolder("mailroom-storage-"), "data", "new"));

    public override Task DropDatabaseAsync(StorageOptions options)
    {
        SqliteConnection.ClearAllPools();
        var folder = Path.GetDirectoryName(new SqliteConnectionStringBuilder(options.ConnectionString).DataSource)!;
        // The temporary folder made for this database (MissingDatabase puts it two levels further down).
        while (!Path.GetFileName(folder).StartsWith("mailroom-storage-", StringComparison.Ordinal))
            folder = Path.GetDirectoryName(folder)!;
        TestArtifacts.DeleteFolder(folder);
        return Task.CompletedTask;
    }
}
