namespace Mailroom.SecretScan.Tests;

/// <summary>
/// Scans what a suite run left (see tests/Mailroom.TestSupport/TestArtifacts.cs): every file under the artifacts folder except the
/// ledgers of secrets, and the servers' logs from the offsets they had when the run started
/// (<c>server-logs.tsv</c>, written by scripts/test.sh: one <c>path TAB offset</c> line per log).
/// </summary>
internal sealed class SuiteScan(SecretScanner scanner)
{
    public const string ServerLogsFile = "server-logs.tsv";
    public const string LedgerFolder = "ledger";

    public List<Finding> Findings { get; } = [];
    public int Files { get; private set; }
    public long Bytes { get; private set; }
    public int SqliteDatabases { get; private set; }
    public int PostgresDumps { get; private set; }
    public int LogFiles { get; private set; }
    public Dictionary<string, long> ServerLogBytes { get; } = [];

    public void ScanArtifacts(string root)
    {
        var ledger = Path.Combine(root, LedgerFolder) + Path.DirectorySeparatorChar;
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (path.StartsWith(ledger, StringComparison.Ordinal) || Path.GetFileName(path) == ServerLogsFile)
                continue;
            var relative = Path.GetRelativePath(root, path);
            var bytes = ScanFile(path, relative, 0);
            if (IsSqlite(path))
                SqliteDatabases++;
            else if (relative.StartsWith("postgres" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && bytes > 0)
                PostgresDumps++;
            else if (relative.StartsWith("logs" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && bytes > 0)
                LogFiles++;
        }

        var serverLogs = Path.Combine(root, ServerLogsFile);
        if (!File.Exists(serverLogs))
            return;
        foreach (var line in File.ReadAllLines(serverLogs))
        {
            if (line.Split('\t') is not [var path, var offsetText] || !File.Exists(path))
                continue;
            var offset = long.Parse(offsetText, System.Globalization.CultureInfo.InvariantCulture);
            // A log that was rotated or truncated since the run started is read whole.
            if (new FileInfo(path).Length < offset)
                offset = 0;
            ServerLogBytes[path] = ScanFile(path, path, offset);
        }
    }

    /// <returns>The bytes scanned.</returns>
    public long ScanFile(string path, string name, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(offset, SeekOrigin.Begin);
        foreach (var finding in scanner.Scan(stream, name))
            Findings.Add(finding with { Offset = finding.Offset + offset });
        var scanned = stream.Position - offset;
        Files++;
        Bytes += scanned;
        return scanned;
    }

    private static bool IsSqlite(string path)
    {
        Span<byte> header = stackalloc byte[16];
        using var stream = File.OpenRead(path);
        return stream.Read(header) == 16 && header.SequenceEqual("SQLite format 3\0"u8);
    }
}
