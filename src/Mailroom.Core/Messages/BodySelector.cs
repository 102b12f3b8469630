using MimeKit;

namespace Mailroom.Core.Messages;

/// <summary>
/// Chooses the parts that are the message's text and HTML body:
/// <list type="bullet">
/// <item>multipart/alternative: the last alternative of the wanted format wins (senders order them plainest first);</item>
/// <item>multipart/related: only its root (the <c>start</c> parameter, else the first part) is a body;</item>
/// <item>any other multipart (mixed, signed, report, ...): the first part of the format, depth first;</item>
/// <item>a part with <c>Content-Disposition: attachment</c>, or a named part below the top level, is never a body;</item>
/// <item>an encapsulated message/rfc822 is that message's body, not this one's.</item>
/// </list>
/// </summary>
internal static class BodySelector
{
    /// <summary>The text/plain (or, with <paramref name="html"/>, the text/html) body part, or null.</summary>
    public static MimeNode? Find(MimeNode? root, bool html) => root is null ? null : Find(root, html, isRoot: true);

    /// <summary>
    /// The root of a multipart/related: the part its <c>start</c> parameter names, else its first part (RFC 2387) —
    /// unless the first part is not of the root type the <c>type</c> parameter declares and a later part is, as in
    /// MHTML pages saved with their images first.
    /// </summary>
    public static MimeNode? RelatedRoot(MimeNode related)
    {
        if (related.Children.Count == 0)
            return null;

        var parameters = related.Entity.ContentType.Parameters;
        if (parameters.TryGetValue("start", out string? start) && MessageIds.Normalize(start) is { } startId)
        {
            foreach (var child in related.Children)
            {
                if (string.Equals(MessageIds.ContentId(child.Entity), startId, StringComparison.OrdinalIgnoreCase))
                    return child;
            }
        }

        var first = related.Children[0];
        if (parameters.TryGetValue("type", out string? type) && type.Contains('/', StringComparison.Ordinal)
            && !first.Entity.ContentType.MimeType.Equals(type.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            foreach (var child in related.Children)
            {
                if (child.Entity.ContentType.MimeType.Equals(type.Trim(), StringComparison.OrdinalIgnoreCase))
                    return child;
            }
        }

        return first;
    }

    /// <summary>True for a part with <c>Content-Disposition: attachment</c>.</summary>
    public static bool IsAttachment(MimeEntity entity) =>
        string.Equals(entity.ContentDisposition?.Disposition, ContentDisposition.Attachment, StringComparison.OrdinalIgnoreCase);

    private static MimeNode? Find(MimeNode node, bool html, bool isRoot)
    {
        var type = node.Entity.ContentType;
        switch (node.Entity)
        {
            case Multipart when type.IsMimeType("multipart", "alternative"):
                for (var i = node.Children.Count - 1; i >= 0; i--)
                {
                    if (Find(node.Children[i], html, isRoot: false) is { } found)
                        return found;
                }

                return null;

            case Multipart when type.IsMimeType("multipart", "related"):
                return RelatedRoot(node) is { } root ? Find(root, html, isRoot: false) : null;

            case Multipart:
                foreach (var child in node.Children)
                {
                    if (Find(child, html, isRoot: false) is { } found)
                        return found;
                }

                return null;

            case TextPart part when type.IsMimeType("text", html ? "html" : "plain") && !IsAttachment(part):
                return isRoot || string.IsNullOrWhiteSpace(part.FileName) ? node : null;

            default:
                return null;
        }
    }
}
