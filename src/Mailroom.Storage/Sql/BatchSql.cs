using System.Data.Common;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.EntityFrameworkCore.Storage;

namespace Mailroom.Storage.Sql;

/// <summary>
/// Parameterized statements over one open connection and transaction, for the paths where EF Core's change tracking
/// would cost too much. The same SQL runs on SQLite and PostgreSQL (both take <c>@name</c> parameters,
/// <c>ON CONFLICT</c> and <c>RETURNING</c>); only how rows are grouped into statements differs.
/// </summary>
internal sealed class BatchSql(DbConnection connection, DbTransaction? transaction, StorageProvider provider)
{
    /// <summary>
    /// Parameters a statement. PostgreSQL takes up to 65,535 and each statement is a round trip, so statements are
    /// large. SQLite binds each named parameter after a linear search of the statement's names, so the cost grows
    /// with the square of the count, and statements cost no round trip: they stay small there.
    /// </summary>
    public int MaxParameters { get; } = provider == StorageProvider.Sqlite ? 240 : 2000;

    private static readonly string[] Names = [.. Enumerable.Range(0, 2000).Select(i => "@p" + i)];

    /// <summary>Statements on the context's connection, inside its current transaction.</summary>
    public static BatchSql For(MailroomDbContext db, IDbContextTransaction transaction) =>
        new(db.Database.GetDbConnection(), transaction.GetDbTransaction(), db.Provider);

    /// <summary>
    /// Reads on the context's connection (opened by the caller) outside any transaction: on SQLite a transaction takes
    /// the write lock, and a read such as a search must not wait behind a sync's batch for it.
    /// </summary>
    public static BatchSql ForReads(MailroomDbContext db) => new(db.Database.GetDbConnection(), null, db.Provider);

    public DbCommand Command(string sql, IReadOnlyList<object?> values)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < values.Count; i++)
            Add(command, i, values[i]);
        return command;
    }

    public async Task<object?> ScalarAsync(string sql, IReadOnlyList<object?> values, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, values);
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is DBNull ? null : result;
    }

    public async Task QueryAsync(string sql, IReadOnlyList<object?> values, Action<DbDataReader> onRow, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, values);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            onRow(reader);
    }

    /// <summary>
    /// <c>{head} VALUES (...) {tail}</c> for every row. When <paramref name="onRow"/> is given, the statement's result
    /// rows (its RETURNING clause) are passed to it. On PostgreSQL rows go in multi-row statements, as few as the
    /// parameter limit and <paramref name="maxBytesPerStatement"/> allow, since each statement is a round trip; on
    /// SQLite one prepared statement is re-bound per row, which is SQLite's fastest way to insert.
    /// </summary>
    public Task InsertRowsAsync(
        string head, string tail, int columns, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken,
        Action<DbDataReader>? onRow = null, Func<object?[], long>? rowBytes = null, long maxBytesPerStatement = long.MaxValue) =>
        provider == StorageProvider.Sqlite
            ? InsertEachAsync(head, tail, columns, rows, onRow, cancellationToken)
            : InsertManyAsync(head, tail, columns, rows, onRow, rowBytes, maxBytesPerStatement, cancellationToken);

    private async Task InsertEachAsync(
        string head, string tail, int columns, IReadOnlyList<object?[]> rows, Action<DbDataReader>? onRow,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder(head).Append(" VALUES (");
        for (var c = 0; c < columns; c++)
        {
            sql.Append(c == 0 ? "" : ",").Append(Names[c]);
            Add(command, c, null);
        }

        command.CommandText = sql.Append(") ").Append(tail).ToString();
        foreach (var row in rows)
        {
            for (var c = 0; c < columns; c++)
                command.Parameters[c].Value = ToDb(row[c]);
            await ExecuteAsync(command, onRow, cancellationToken);
        }
    }

    private async Task InsertManyAsync(
        string head, string tail, int columns, IReadOnlyList<object?[]> rows, Action<DbDataReader>? onRow,
        Func<object?[], long>? rowBytes, long maxBytesPerStatement, CancellationToken cancellationToken)
    {
        var maxRows = Math.Max(1, MaxParameters / columns);
        var start = 0;
        while (start < rows.Count)
        {
            var count = 0;
            long bytes = 0;
            while (start + count < rows.Count && count < maxRows)
            {
                bytes += rowBytes?.Invoke(rows[start + count]) ?? 0;
                if (count > 0 && bytes > maxBytesPerStatement)
                    break;
                count++;
            }

            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder(head.Length + tail.Length + (count * columns * 7)).Append(head).Append(" VALUES ");
            var p = 0;
            for (var r = 0; r < count; r++)
            {
                sql.Append(r == 0 ? "(" : ",(");
                var row = rows[start + r];
                for (var c = 0; c < columns; c++, p++)
                {
                    if (c > 0)
                        sql.Append(',');
                    sql.Append(Names[p]);
                    Add(command, p, row[c]);
                }

                sql.Append(')');
            }

            command.CommandText = sql.Append(' ').Append(tail).ToString();
            await ExecuteAsync(command, onRow, cancellationToken);
            start += count;
        }
    }

    private static async Task ExecuteAsync(DbCommand command, Action<DbDataReader>? onRow, CancellationToken cancellationToken)
    {
        if (onRow is null)
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            onRow(reader);
    }

    /// <summary>Runs <c>{sql}</c> with <c>{0}</c> replaced by an IN list of each chunk of <paramref name="keys"/>; <paramref name="fixedValues"/> come first as @p0, @p1, ...</summary>
    public async Task QueryInChunksAsync<TKey>(
        string sql, IReadOnlyList<object?> fixedValues, IReadOnlyList<TKey> keys, Action<DbDataReader> onRow,
        CancellationToken cancellationToken)
    {
        var chunkSize = MaxParameters - fixedValues.Count;
        for (var start = 0; start < keys.Count; start += chunkSize)
        {
            var count = Math.Min(chunkSize, keys.Count - start);
            await using var command = ChunkCommand(sql, fixedValues, keys, start, count);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                onRow(reader);
        }
    }

    /// <summary>As <see cref="QueryInChunksAsync"/>, for statements without results; returns the rows affected.</summary>
    public async Task<int> ExecuteInChunksAsync<TKey>(
        string sql, IReadOnlyList<object?> fixedValues, IReadOnlyList<TKey> keys, CancellationToken cancellationToken)
    {
        var chunkSize = MaxParameters - fixedValues.Count;
        var affected = 0;
        for (var start = 0; start < keys.Count; start += chunkSize)
        {
            var count = Math.Min(chunkSize, keys.Count - start);
            await using var command = ChunkCommand(sql, fixedValues, keys, start, count);
            affected += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return affected;
    }

    private DbCommand ChunkCommand<TKey>(string sql, IReadOnlyList<object?> fixedValues, IReadOnlyList<TKey> keys, int start, int count)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        for (var i = 0; i < fixedValues.Count; i++)
            Add(command, i, fixedValues[i]);
        var list = new StringBuilder(count * 7);
        for (var i = 0; i < count; i++)
        {
            var p = fixedValues.Count + i;
            list.Append(i == 0 ? "" : ",").Append(Names[p]);
            Add(command, p, keys[start + i]);
        }

        command.CommandText = sql.Replace("{0}", list.ToString(), StringComparison.Ordinal);
        return command;
    }

    private static void Add(DbCommand command, int index, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = Names[index];
        parameter.Value = ToDb(value);
        command.Parameters.Add(parameter);
    }

    private static object ToDb(object? value) => value switch
    {
        null => DBNull.Value,
        ReadOnlyMemory<byte> memory => AsArray(memory),
        _ => value,
    };

    /// <summary>The bytes as an array, without a copy when the memory is a whole array already.</summary>
    private static byte[] AsArray(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();
}
