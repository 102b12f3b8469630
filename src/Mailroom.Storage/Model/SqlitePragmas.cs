using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Mailroom.Storage.Model;

/// <summary>
/// Per-connection SQLite settings. journal_mode=WAL and the page size are properties of the file, set once by
/// <see cref="DatabaseInitializer"/>; these must be set on every connection.
/// synchronous=NORMAL in WAL mode syncs only at checkpoints: a power loss may lose the last transactions but never
/// corrupts the file, and a process crash loses nothing committed. The page cache (32 MiB, allocated as used) keeps
/// the indexes that every insert probes in memory.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public const string Sql =
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000; PRAGMA cache_size = -32768;";

    public static SqlitePragmas Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = Sql;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
