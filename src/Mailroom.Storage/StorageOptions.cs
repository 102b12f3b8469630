using Microsoft.Data.Sqlite;

namespace Mailroom.Storage;

/// <summary>Where Mailroom keeps its data (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>The name of the SQLite file inside the data folder.</summary>
    public const string SqliteFileName = "mailroom.db";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>An ADO.NET connection string for <see cref="Provider"/>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Whether ingest writes the full-text index (always, except in bench/SearchBench, which turns it off to measure
    /// what indexing adds to storing a mailbox, in a database it then drops). Messages stored with it off are not found
    /// by <see cref="Ingest.SearchIndexBackfill"/> once a newer message is indexed.
    /// </summary>
    internal bool WriteSearchIndex { get; set; } = true;

    /// <summary>SQLite in <c>&lt;dataFolder&gt;/mailroom.db</c>.</summary>
    public static StorageOptions ForDataFolder(string dataFolder) =>
        new() { Provider = StorageProvider.Sqlite, ConnectionString = SqliteConnectionString(dataFolder) };

    /// <summary>PostgreSQL with the given connection string.</summary>
    public static StorageOptions ForPostgres(string connectionString) =>
        new() { Provider = StorageProvider.Postgres, ConnectionString = connectionString };

    /// <summary>The connection string of the SQLite file <c>&lt;dataFolder&gt;/mailroom.db</c>.</summary>
    public static string SqliteConnectionString(string dataFolder) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Path.GetFullPath(dataFolder), SqliteFileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 60,
        }.ToString();

    /// <summary>Throws <see cref="InvalidOperationException"/> when the options cannot work.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Provider))
            throw new InvalidOperationException($"Storage:Provider '{Provider}' is not one of Sqlite, Postgres.");
        if (string.IsNullOrWhiteSpace(ConnectionString))
            throw new InvalidOperationException("Storage:ConnectionString is empty.");
    }
}
