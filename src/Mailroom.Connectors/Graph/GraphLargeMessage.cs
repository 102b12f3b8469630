using MimeKit;

namespace Mailroom.Connectors.Graph;

/// <summary>
/// A message too large for one Graph request, split for the draft route: the MIME without its largest attachments
/// (small enough, base64-encoded, for one request: it becomes the draft) and those attachments, decoded, to be added
/// to the draft (upload sessions for the large ones). Graph rebuilds the same message when it sends the draft.
/// </summary>
internal sealed record GraphLargeMessage(byte[] Draft, IReadOnlyList<GraphLargeMessage.Attachment> Attachments)
{
    /// <summary>One attachment taken out of the MIME.</summary>
    public sealed record Attachment(string Name, string ContentType, bool IsInline, string? ContentId, byte[] Content);

    /// <summary>Takes attachments out, largest first, until the rest fits <paramref name="maxDraftBase64"/> in base64; null when it cannot.</summary>
    public static GraphLargeMessage? Split(ReadOnlyMemory<byte> mime, int maxDraftBase64)
    {
        using var input = new MemoryStream(mime.ToArray(), writable: false);
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(input);
        }
        catch (FormatException)
        {
            return null; // not a message that can be taken apart
        }
        var parts = new List<(Multipart Parent, MimePart Part, long Size)>();
        using (var iterator = new MimeIterator(message))
        {
            while (iterator.MoveNext())
            {
                if (iterator.Current is MimePart { Content: not null } part && iterator.Parent is Multipart parent
                    && (part.IsAttachment || part.ContentId is not null || part is not TextPart))
                    parts.Add((parent, part, part.Content!.Stream is { CanSeek: true } stream ? stream.Length : 0));
            }
        }
        var taken = new List<Attachment>();
        var draft = Serialize(message);
        foreach (var (parent, part, _) in parts.OrderByDescending(p => p.Size))
        {
            if (Base64Length(draft.Length) <= maxDraftBase64)
                break;
            using var content = new MemoryStream();
            part.Content!.DecodeTo(content);
            taken.Add(new Attachment(part.FileName ?? part.ContentType.Name ?? "attachment", part.ContentType.MimeType,
                !part.IsAttachment && part.ContentId is not null, part.ContentId, content.ToArray()));
            parent.Remove(part);
            draft = Serialize(message);
        }
        return Base64Length(draft.Length) <= maxDraftBase64 ? new GraphLargeMessage(draft, taken) : null;
    }

    public static int Base64Length(int bytes) => (bytes + 2) / 3 * 4;

    private static byte[] Serialize(MimeMessage message)
    {
        using var output = new MemoryStream();
        message.WriteTo(FormatOptions.Default, output);
        return output.ToArray();
    }
}
