using Mailroom.Storage;

namespace Mailroom.Server.Hosting;

/// <summary>Picks the database: PostgreSQL when a connection string is configured, else SQLite in the data folder.</summary>
internal static class StorageConfiguration
{
    public static StorageOptions Resolve(IConfiguration configuration, string dataPath)
    {
        var connectionString = configuration["Storage:ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
            return StorageOptions.ForDataFolder(dataPath);
        return StorageOptions.ForPostgres(connectionString);
    }
}
