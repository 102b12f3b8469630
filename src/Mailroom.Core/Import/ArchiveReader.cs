using Mailroom.Core.Connectors;
using MimeKit;

namespace Mailroom.Core.Import;

/// <summary>
/// Reads local mail archives: an mbox file (MimeKit's parser in mbox mode), a Maildir (a directory with <c>cur/</c>
/// and/or <c>new/</c>), or a directory of <c>.eml</c> files (a single <c>.eml</c> file is read as one message).
/// </summary>
public static class ArchiveReader
{
    /// <summary>What <paramref name="path"/> is, or null with <paramref name="error"/> when it is none of the formats.</summary>
    public static string? Detect(string path, out string? error)
    {
        error = null;
        if (File.Exists(path))
            return path.EndsWith(".eml", StringComparison.OrdinalIgnoreCase) ? "eml" : "mbox";
        if (!Directory.Exists(path))
        {
            error = $"no such file or directory: {path}";
            return null;
        }

        if (Directory.Exists(Path.Combine(path, "cur")) || Directory.Exists(Path.Combine(path, "new")))
            return "maildir";
        if (Directory.EnumerateFiles(path, "*.eml").Any())
            return "eml";
        error = $"{path} is neither a Maildir (no cur/ or new/) nor a directory of .eml files";
        return null;
    }

    /// <summary>Every message of the archive, in file order. Throws <see cref="FormatException"/> for a file that is not an mbox.</summary>
    public static IEnumerable<ArchiveItem> Read(string path, string kind) => kind switch
    {
        "mbox" => ReadMbox(path),
        "maildir" => ReadMaildir(path),
        "eml" => ReadEml(path),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown archive kind."),
    };

    private static string FolderName(string path) =>
        Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path))) is { Length: > 0 } name ? name : "INBOX";

    private static IEnumerable<ArchiveItem> ReadMbox(string path)
    {
        var folder = FolderName(path);
        using var stream = File.OpenRead(path);
        var parser = new MimeParser(stream, MimeFormat.Mbox);
        var index = 0;
        while (!parser.IsEndOfStream)
        {
            MimeMessage message;
            try
            {
                message = parser.ParseMessage();
            }
            catch (FormatException ex) when (index == 0)
            {
                throw new FormatException($"{path} is not an mbox file (it must start with a 'From ' line): {ex.Message}", ex);
            }

            index++;
            // MimeKit writes a parsed, unmodified message back byte for byte; the mbox "From " line is not part of it.
            using var buffer = new MemoryStream();
            message.WriteTo(buffer);
            yield return new ArchiveItem(folder, buffer.ToArray(), MessageFlags.None, null, $"{path} message {index}");
        }
    }

    private static IEnumerable<ArchiveItem> ReadMaildir(string path)
    {
        var folder = FolderName(path);
        foreach (var sub in new[] { "cur", "new" })
        {
            var dir = Path.Combine(path, sub);
            if (!Directory.Exists(dir))
                continue;
            foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
                yield return new ArchiveItem(folder, File.ReadAllBytes(file), MaildirFlags(Path.GetFileName(file)), File.GetLastWriteTimeUtc(file), file);
        }
    }

    private static IEnumerable<ArchiveItem> ReadEml(string path)
    {
        if (File.Exists(path))
        {
            yield return new ArchiveItem("INBOX", File.ReadAllBytes(path), MessageFlags.None, File.GetLastWriteTimeUtc(path), path);
            yield break;
        }

        var folder = FolderName(path);
        foreach (var file in Directory.EnumerateFiles(path, "*.eml").Order(StringComparer.Ordinal))
            yield return new ArchiveItem(folder, File.ReadAllBytes(file), MessageFlags.None, File.GetLastWriteTimeUtc(file), file);
    }

    /// <summary>The flags of a Maildir file name's info part (<c>:2,</c> followed by letters in ASCII order).</summary>
    internal static MessageFlags MaildirFlags(string fileName)
    {
        var info = fileName.LastIndexOf(":2,", StringComparison.Ordinal);
        if (info < 0)
            return MessageFlags.None;
        var flags = MessageFlags.None;
        foreach (var c in fileName.AsSpan(info + 3))
        {
            flags |= c switch
            {
                'S' => MessageFlags.Seen,
                'R' => MessageFlags.Answered,
                'F' => MessageFlags.Flagged,
                'T' => MessageFlags.Deleted,
                'D' => MessageFlags.Draft,
                _ => MessageFlags.None,
            };
        }

        return flags;
    }
}
