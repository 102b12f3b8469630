namespace Mailroom.Storage;

/// <summary>The database behind the store.</summary>
public enum StorageProvider
{
    /// <summary>An embedded SQLite file in the data folder: the default for one machine.</summary>
    Sqlite = 0,

    /// <summary>A PostgreSQL server, shared by every node of a cluster.</summary>
    Postgres = 1,
}
