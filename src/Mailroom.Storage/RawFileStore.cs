namespace Mailroom.Storage;

/// <summary>
/// Raw MIME as content-addressed files (<c>raw/ab/cd/abcd…</c>) beside an embedded database. A bulk sync then
/// writes each message's bytes once, instead of into SQLite's write-ahead log and again into the database file,
/// which measured as the sync's critical path. Files are written and flushed to disk before the rows that
/// reference them commit, so a row never points at bytes that a crash could lose; a crash in between leaves
/// an unreferenced file that the next copy of the same message reuses.
/// </summary>
internal sealed class RawFileStore(string root)
{
    private static readonly ParallelOptions FlushParallelism = new() { MaxDegreeOfParallelism = 8 };

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Writes every file that does not exist yet and flushes each to disk.</summary>
    public Task WriteAllAsync(IEnumerable<(string Sha256, ReadOnlyMemory<byte> Data)> items, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = FlushParallelism.MaxDegreeOfParallelism, CancellationToken = cancellationToken },
            async (item, ct) => await WriteAsync(item.Sha256, item.Data, ct));

    public async Task<byte[]?> ReadAsync(string sha256, CancellationToken cancellationToken)
    {
        var path = PathOf(sha256);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    public void Delete(string sha256)
    {
        var path = PathOf(sha256);
        if (File.Exists(path))
            File.Delete(path);
    }

    private async Task WriteAsync(string sha256, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var path = PathOf(sha256);
        if (File.Exists(path) && new FileInfo(path).Length == data.Length)
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var stream = new FileStream(temp, options))
        {
            await stream.WriteAsync(data, cancellationToken);
            stream.Flush(flushToDisk: true);
        }
        // Same name, same bytes: if another writer got there first, its file is as good as ours.
        File.Move(temp, path, overwrite: true);
    }

    private string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException($"Not a lower-case hex SHA-256: '{sha256}'.", nameof(sha256));
        return Path.Combine(Root, sha256[..2], sha256[2..4], sha256);
    }
}
