using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Mailroom.Storage.Model;

/// <summary>
/// Per-connection SQLite settings. journal_mode=WAL and the page size are properties of the file, set once by
/// <see cref="DatabaseInitializer"/>; these must be set on every connection.
/// synchronous=NORMAL in WAL mode syncs only at checkpoints: a power loss may lose the last transactions but never
/// corrupts the file, and a process crash loses nothing committed. The page cache (32 MiB, allocated as used) keeps
/// the indexes that every insert probes in memory.
/// <para>
/// Microsoft.Data.Sqlite pools the native connections, and these settings live on the native connection: they are set
/// once per native handle, not on every open (every short database call opens a pooled connection, and running the
/// four statements each time was a measurable part of recording a sent message).
/// </para>
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public const string Sql =
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000; PRAGMA cache_size = -32768;";

    public static SqlitePragmas Instance { get; } = new();

    private readonly ConditionalWeakTable<object, object> _configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!FirstOpen(connection))
            return;
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!FirstOpen(connection))
            return;
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = Sql;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>True once per native handle; a connection without one (not SQLite) is always configured.</summary>
    private bool FirstOpen(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || _configured.TryAdd(handle, handle);
}
