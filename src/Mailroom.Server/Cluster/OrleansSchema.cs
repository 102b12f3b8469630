using Npgsql;

namespace Mailroom.Server.Cluster;

/// <summary>
/// Mailroom's own set-up of the Orleans tables (membership, reminders) in the cluster's PostgreSQL database. Every
/// node runs it at start: the script is written to run again, and an advisory lock keeps nodes that start together
/// from interleaving it.
/// </summary>
internal static class OrleansSchema
{
    // Any constant shared by the nodes; "ORLN" in ASCII.
    private const long LockKey = 0x4F524C4E;

    public static async Task EnsureAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", LockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var script = new NpgsqlCommand(await ReadScriptAsync(cancellationToken), connection, transaction))
            await script.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<string> ReadScriptAsync(CancellationToken cancellationToken)
    {
        await using var stream = typeof(OrleansSchema).Assembly.GetManifestResourceStream("Mailroom.Server.Cluster.OrleansSchema.sql")
            ?? throw new InvalidOperationException("The Orleans set-up script is missing from the binary.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
