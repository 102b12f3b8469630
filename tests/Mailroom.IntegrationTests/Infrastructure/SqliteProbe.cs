using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mailroom.IntegrationTests.Infrastructure;

/// <summary>Reads a Mailroom SQLite database from a test, and waits for what it should come to hold.</summary>
public static class SqliteProbe
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The first column of the first row, as a number.</summary>
    public static async Task<long> ScalarAsync(SqliteConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), CultureInfo.InvariantCulture);
    }

    /// <summary>How many memberships the folder at <paramref name="path"/> has.</summary>
    public static Task<long> CountInAsync(SqliteConnection db, string path) =>
        ScalarAsync(db, $"SELECT COUNT(*) FROM folder_memberships fm JOIN folders f ON f.id = fm.folder_id WHERE f.path = '{path.Replace("'", "''", StringComparison.Ordinal)}'");

    /// <summary>
    /// <see cref="ScalarAsync"/> on the database of a running <c>mailroom</c> process: 0 until the file and its tables
    /// exist, and while the process holds it busy (a condition waited for is simply asked again).
    /// </summary>
    public static async Task<long> ScalarOfProcessAsync(SqliteConnection db, string sql)
    {
        if (!File.Exists(new SqliteConnectionStringBuilder(db.ConnectionString).DataSource))
            return 0;
        try
        {
            if (db.State != System.Data.ConnectionState.Open)
                await db.OpenAsync(Ct);
            return await ScalarAsync(db, sql);
        }
        catch (SqliteException)
        {
            return 0; // not created yet, or busy
        }
    }

    /// <summary>Asks <paramref name="done"/> every 200 ms until it holds; fails after <paramref name="timeout"/>.</summary>
    public static async Task WaitAsync(Func<Task<bool>> done, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < until, $"not done within {timeout}");
            await Task.Delay(200, Ct);
        }
    }
}
