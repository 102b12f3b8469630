using Mailroom.TestSupport;
using Npgsql;

namespace Mailroom.Storage.Tests.Infrastructure;

/// <summary>
/// A uniquely named database on the server that MAILROOM_TEST_PG points at (a role with CREATEDB), dropped afterwards.
/// Without the variable, every test that needs it is skipped.
/// </summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    public const string Variable = "MAILROOM_TEST_PG";

    public static string? ServerConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public override string? SkipReason => ServerConnectionString is null
        ? $"{Variable} not set: PostgreSQL storage tests need a server (e.g. Host=127.0.0.1;Port=15432;Username=mailroom;Password=mailroom;Database=mailroom)."
        : null;

    public override async Task<StorageOptions> CreateDatabaseAsync()
    {
        var options = MissingDatabase();
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {new NpgsqlConnectionStringBuilder(options.ConnectionString).Database}", connection);
        await command.ExecuteNonQueryAsync();
        return options;
    }

    public override StorageOptions MissingDatabase() =>
        StorageOptions.ForPostgres(new NpgsqlConnectionStringBuilder(ServerConnectionString)
        {
            Database = "mailroom_st_" + Guid.NewGuid().ToString("N")[..16],
        }.ConnectionString);

    public override async Task DropDatabaseAsync(StorageOptions options)
    {
        var name = new NpgsqlConnectionStringBuilder(options.ConnectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await TestArtifacts.DumpPostgresAsync(options.ConnectionString);
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();

        // A plain DROP stops autovacuum workers itself (after a large insert one is often at work); WITH (FORCE)
        // would instead refuse, since their role is not ours. Sessions of our own role that linger are retried.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name}", connection);
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 10)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }
}
