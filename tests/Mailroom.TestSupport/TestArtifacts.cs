using System.Text;
using Npgsql;

namespace Mailroom.TestSupport;

/// <summary>
/// What the suite leaves behind for the secret scan (tests/Mailroom.SecretScan.Tests). Under scripts/test.sh,
/// MAILROOM_TEST_ARTIFACTS names a folder of this run: every data folder (SQLite database, key ring, raw MIME), every
/// log a test host or a mailroom process writes, a text dump of every PostgreSQL test database, and the ledger of
/// tokens the tests obtained are kept there instead of being deleted. Without the variable, data folders are temporary
/// and deleted as before, and nothing is recorded. Referenced by each test project that produces such data (tests/Mailroom.TestSupport).
/// </summary>
public static class TestArtifacts
{
    public const string Variable = "MAILROOM_TEST_ARTIFACTS";

    /// <summary>The kept data: <c>data/</c>, <c>logs/</c>, <c>postgres/</c>. The scan reads all of it.</summary>
    public static string? Root => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } root ? root : null;

    /// <summary>Secrets the tests obtained (one per line); the scan looks for them and never scans this folder.</summary>
    public static string? LedgerFolder => Root is { } root ? Path.Combine(root, "ledger") : null;

    private static readonly Lock Gate = new();

    /// <summary>A new empty data folder: kept under the artifacts when they are recorded, else a temporary one.</summary>
    public static string CreateDataFolder(string prefix)
    {
        if (Root is not { } root)
            return Directory.CreateTempSubdirectory(prefix).FullName;
        var path = Path.Combine(root, "data", prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes a data folder, unless the artifacts are recorded (then the scan reads it later).</summary>
    public static void DeleteFolder(string path)
    {
        if (Root is not null)
            return;
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }

    /// <summary>A new log file path under <c>logs/</c>, or null when nothing is recorded.</summary>
    public static string? NewLogFile(string name)
    {
        if (Root is not { } root)
            return null;
        var folder = Path.Combine(root, "logs");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{name}-{Guid.NewGuid().ToString("N")[..12]}.log");
    }

    /// <summary>Records secrets a test obtained (OAuth tokens), so that the scan looks for them too.</summary>
    public static void RecordSecrets(string kind, params string?[] secrets)
    {
        if (LedgerFolder is not { } folder)
            return;
        Directory.CreateDirectory(folder);
        var lines = new StringBuilder();
        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret))
                lines.Append(kind).Append('\t').Append(secret).Append('\n');
        }
        lock (Gate)
            File.AppendAllText(Path.Combine(folder, $"tests-{Environment.ProcessId}.tsv"), lines.ToString());
    }

    /// <summary>
    /// Before a PostgreSQL test database is dropped: every row of every table in its public schema, text columns as
    /// UTF-8 and binary columns byte for byte, into <c>postgres/DATABASE.dump</c>. Nothing when not recorded.
    /// </summary>
    public static async Task DumpPostgresAsync(string connectionString)
    {
        if (Root is not { } root)
            return;
        var folder = Path.Combine(root, "postgres");
        Directory.CreateDirectory(folder);
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return; // never created
        }
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        }
        await using var output = File.Create(Path.Combine(folder, builder.Database + ".dump"));
        foreach (var table in tables)
        {
            await output.WriteAsync(Encoding.UTF8.GetBytes($"\n== {table}\n"));
            await using var select = new NpgsqlCommand($"SELECT * FROM \"{table}\"", connection);
            await using var rows = await select.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                for (var i = 0; i < rows.FieldCount; i++)
                {
                    var value = rows.IsDBNull(i) ? null : rows.GetValue(i);
                    var bytes = value switch
                    {
                        null => [],
                        byte[] raw => raw,
                        System.Collections.IEnumerable items and not string => Encoding.UTF8.GetBytes(string.Join(",", items.Cast<object>())),
                        _ => Encoding.UTF8.GetBytes(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""),
                    };
                    await output.WriteAsync(bytes);
                    output.WriteByte((byte)'\t');
                }
                output.WriteByte((byte)'\n');
            }
        }
    }
}
