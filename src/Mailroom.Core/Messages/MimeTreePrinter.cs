using System.Globalization;
using MimeKit;

namespace Mailroom.Core.Messages;

/// <summary>
/// Shows the MIME structure of a message as a person reads it (<c>mailroom parse</c>), or as a tree model for JSON:
/// <code>
/// multipart/mixed
/// ├── 1 multipart/alternative
/// │   ├── 1.1 text/plain; charset=utf-8 (1.2 KB)
/// │   └── 1.2 text/html; charset=utf-8 (3.4 KB)
/// └── 2 application/pdf  attachment  "Résumé.pdf" (120 KB)
/// </code>
/// The tree is MimeKit's as parsed, broken parts included; encapsulated messages are shown with their parts.
/// Never throws because of the message's content.
/// </summary>
public static class MimeTreePrinter
{
    /// <summary>Writes the indented tree, one line per entity.</summary>
    public static void Print(MimeMessage message, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);

        Print(Describe(message), output);
    }

    /// <summary>
    /// Writes the tree of a raw message as the normalizer reads it: multiparts it had to rebuild show the parts the
    /// attachment list has, and attached messages their size as attached.
    /// </summary>
    public static void Print(ReadOnlyMemory<byte> raw, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Print(Describe(raw), output);
    }

    /// <summary>Writes the indented tree of a model from <see cref="Describe(MimeMessage)"/> or <see cref="Describe(ReadOnlyMemory{byte})"/>.</summary>
    public static void Print(MimeTreeNode? root, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (root is null)
        {
            output.WriteLine("(no body)");
            return;
        }

        output.WriteLine(FormatLine(root, parentPath: null));
        PrintChildren(root, output, prefix: "");
    }

    /// <summary>The tree as a model, for <c>--json</c>; null when the message has no body at all.</summary>
    public static MimeTreeNode? Describe(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Charsets.EnsureRegistered();
        var root = MimeNode.Build(message, session: null, intoMessages: true);
        return root is null ? null : ToModel(root, session: null);
    }

    /// <summary>The tree of a raw message as the normalizer reads it (see <see cref="Print(ReadOnlyMemory{byte}, TextWriter)"/>).</summary>
    public static MimeTreeNode? Describe(ReadOnlyMemory<byte> raw)
    {
        using var parts = MessageParts.Open(raw);
        return parts.Tree();
    }

    // One line of the tree, without the branch drawing.
    private static string FormatLine(MimeTreeNode node, string? parentPath)
    {
        var line = new System.Text.StringBuilder();

        // The top-level multipart has no number, and a message's multipart body shares its message/rfc822 number.
        if (node.Path.Length > 0 && node.Path != parentPath)
            line.Append(node.Path).Append(' ');

        line.Append(node.ContentType);
        if (node.Charset is not null)
            line.Append("; charset=").Append(node.Charset);
        if (node.Disposition is not null)
            line.Append("  ").Append(node.Disposition);
        if (node.ContentId is not null)
            line.Append(node.Disposition is null ? "  " : " ").Append("cid:").Append(node.ContentId);
        if (node.FileName is not null)
            line.Append("  \"").Append(node.FileName).Append('"');
        if (node.Size is { } size)
            line.Append(" (").Append(FormatSize(size)).Append(')');
        return line.ToString();
    }

    /// <summary>A size as people read it: <c>512 B</c>, <c>1.2 KB</c>, <c>12 KB</c>, <c>3.4 MB</c>.</summary>
    public static string FormatSize(long bytes)
    {
        if (bytes < 1024)
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";

        string[] units = ["KB", "MB", "GB", "TB"];
        var value = bytes / 1024.0;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        var format = value < 10 ? "0.0" : "0";
        return value.ToString(format, CultureInfo.InvariantCulture) + " " + units[unit];
    }

    private static void PrintChildren(MimeTreeNode node, TextWriter output, string prefix)
    {
        for (var i = 0; i < node.Children.Count; i++)
        {
            var child = node.Children[i];
            var last = i == node.Children.Count - 1;
            output.Write(prefix);
            output.Write(last ? "└── " : "├── ");
            output.WriteLine(FormatLine(child, node.Path));
            PrintChildren(child, output, prefix + (last ? "    " : "│   "));
        }
    }

    internal static MimeTreeNode ToModel(MimeNode node, NormalizationSession? session)
    {
        var entity = node.Entity;
        string? fileName = null;
        long? size = null;
        switch (entity)
        {
            case MimePart part:
                fileName = Safe(() => EncodedWords.FileName(part));
                size = Safe<long?>(() => ContentSizer.DecodedSize(part, node.Where, problems: null));
                break;
            case MessagePart message:
                fileName = Safe(() => EncodedWords.FileName(message));
                size = Safe<long?>(() => session?.RawContent(message)?.Length ?? ContentSizer.MessageSize(message));
                break;
        }

        var children = new List<MimeTreeNode>(node.Children.Count);
        foreach (var child in node.Children)
            children.Add(ToModel(child, session));
        if (session is not null && entity is MimeKit.Tnef.TnefPart tnef)
            AddTnefFiles(node, tnef, children);

        return new MimeTreeNode(
            node.Path,
            entity.ContentType.MimeType.ToLowerInvariant(),
            NullIfBlank(entity.ContentType.Charset)?.ToLowerInvariant(),
            NullIfBlank(entity.ContentDisposition?.Disposition)?.ToLowerInvariant(),
            NullIfBlank(fileName)?.Trim(),
            MessageIds.ContentId(entity),
            size,
            children);
    }

    // The files in a winmail.dat, as the attachment list numbers them (its body is not a file).
    private static void AddTnefFiles(MimeNode node, MimeKit.Tnef.TnefPart tnef, List<MimeTreeNode> children)
    {
        using var unpacked = TnefContent.Unpack(tnef, node.Where, problems: null);
        if (unpacked is null)
            return;

        var parts = TnefContent.Parts(unpacked);
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            if (TnefContent.IsBody(part))
                continue;
            children.Add(new MimeTreeNode(
                TnefContent.PathOf(node.Path, i), part.ContentType.MimeType.ToLowerInvariant(), null,
                NullIfBlank(part.ContentDisposition?.Disposition)?.ToLowerInvariant(), NullIfBlank(Safe(() => part.FileName))?.Trim(),
                MessageIds.ContentId(part), Safe<long?>(() => ContentSizer.DecodedSize(part, node.Where, problems: null)), []));
        }
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    // The printer shows what it can: a part whose content cannot be read is shown without its size.
    private static T? Safe<T>(Func<T?> read)
    {
        try
        {
            return read();
        }
        catch (Exception)
        {
            return default;
        }
    }
}
