using MimeKit;

namespace Mailroom.Core.Messages;

/// <summary>
/// A stored message read exactly as <see cref="MessageNormalizer"/> read it at ingest (same repairs, same part
/// numbers), to show its tree and to give out its parts: an attachment's content is what the sender attached, an
/// attached message byte for byte. Dispose it when done.
/// </summary>
public sealed class MessageParts : IDisposable
{
    private readonly NormalizationSession session;
    private readonly IReadOnlyList<string> parseProblems; // before the session adds its own, for Normalize
    private readonly Lazy<MimeNode?> root; // the attachment list's numbering; built when a part is first looked up
    private readonly List<MimeMessage> unpackedTnef = [];

    private MessageParts(ReadOnlyMemory<byte> raw)
    {
        var problems = new ProblemList();
        var (message, layout) = MessageNormalizer.ParseInPlace(raw, problems);
        Message = message;
        parseProblems = problems.ToList();
        session = new NormalizationSession(message, layout, problems);
        root = new(() => MimeNode.Build(message, session, intoMessages: false), LazyThreadSafetyMode.None);
    }

    /// <summary>The parsed message (repaired where the normalizer repairs it).</summary>
    public MimeMessage Message { get; }

    /// <summary>Reads <paramref name="raw"/>; it must stay unchanged while the result is used.</summary>
    public static MessageParts Open(ReadOnlyMemory<byte> raw) => new(raw);

    /// <summary>The MIME tree as the attachment list numbers it: multiparts the normalizer rebuilt show their parts.</summary>
    public MimeTreeNode? Tree()
    {
        var tree = MimeNode.Build(Message, session, intoMessages: true);
        return tree is null ? null : MimeTreePrinter.ToModel(tree, session);
    }

    /// <summary>The message normalized, exactly as <see cref="MessageNormalizer.Normalize(ReadOnlyMemory{byte})"/> gives it, without parsing it again.</summary>
    public NormalizedMessage Normalize() => MessageNormalizer.NormalizeParsed(Message, session.Layout, parseProblems);

    /// <summary>
    /// The part numbered <paramref name="partPath"/> (<see cref="AttachmentInfo.PartPath"/>) with its decoded content,
    /// or null when there is no such part.
    /// </summary>
    public PartContent? Find(string partPath)
    {
        ArgumentNullException.ThrowIfNull(partPath);

        // A file inside a winmail.dat: unpack the TNEF part and take the file by its number.
        if (TnefContent.TrySplit(partPath, out var tnefPath, out var index))
        {
            if (FindNode(tnefPath)?.Entity is not MimeKit.Tnef.TnefPart tnef || TnefContent.Unpack(tnef, tnefPath, problems: null) is not { } unpacked)
                return null;
            unpackedTnef.Add(unpacked);
            var parts = TnefContent.Parts(unpacked);
            return index < parts.Count && !TnefContent.IsBody(parts[index]) ? Read(parts[index]) : null;
        }

        return FindNode(partPath) is { } node ? Read(node.Entity) : null;
    }

    private MimeNode? FindNode(string partPath)
    {
        if (root.Value is not { } top)
            return null;

        var stack = new Stack<MimeNode>();
        stack.Push(top);
        while (stack.TryPop(out var node))
        {
            if (node.Path == partPath && node.Entity is not Multipart)
                return node;
            for (var i = node.Children.Count - 1; i >= 0; i--)
                stack.Push(node.Children[i]);
        }

        return null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var unpacked in unpackedTnef)
            unpacked.Dispose();
        session.Dispose();
        Message.Dispose();
    }

    private PartContent? Read(MimeEntity entity)
    {
        switch (entity)
        {
            case MessagePart message:
                var raw = session.RawContent(message);
                byte[] bytes;
                if (raw is { } content)
                {
                    bytes = content.ToArray();
                }
                else
                {
                    using var buffer = new MemoryStream();
                    message.Message?.WriteTo(ContentSizer.CanonicalFormat, buffer);
                    bytes = buffer.ToArray();
                }

                return new PartContent(message.ContentType.MimeType.ToLowerInvariant(), EncodedWords.FileName(message), bytes, message);

            case MimePart part:
                using (var buffer = new MemoryStream())
                {
                    part.Content?.DecodeTo(buffer);
                    return new PartContent(part.ContentType.MimeType.ToLowerInvariant(), EncodedWords.FileName(part), buffer.ToArray(), part);
                }

            default:
                return null;
        }
    }
}
