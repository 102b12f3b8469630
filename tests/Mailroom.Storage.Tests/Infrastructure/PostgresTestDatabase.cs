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
        var name = "mailroom_st_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return StorageOptions.ForPostgres(new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString);
    }

    public override async Task DropDatabaseAsync(StorageOptions options)
    {
        var name = new NpgsqlConnectionStringBuilder(options.ConnectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
