using MimeKit;

namespace Mailroom.Core.Messages;

/// <summary>
/// Chooses the parts that make up the message's text and HTML body, following JMAP's algorithm (RFC 8621 §4.1.4):
/// every inline text part, in order, belongs to the body, so that text after an image or a second text part in
/// another charset is not lost.
/// <list type="bullet">
/// <item>a leaf is inline when it is text/plain, text/html or an image, audio or video part without
/// <c>Content-Disposition: attachment</c>, and it is the first part of its multipart, or (outside multipart/related)
/// an unnamed text part or a media part; everything else is an attachment;</item>
/// <item>multipart/related: only its root (the <c>start</c> parameter, else the first part) can be inline;</item>
/// <item>multipart/alternative: one alternative per format, the last that has it (RFC 2046 §5.1.4: senders order
/// them plainest first); when no alternative has a text/plain part the HTML parts serve both, and the other way
/// round;</item>
/// <item>inside an alternative, a nested mixed part that starts with plain text only adds to the text body, one that
/// starts with HTML only to the HTML body;</item>
/// <item>an encapsulated message/rfc822 is that message's body, not this one's.</item>
/// </list>
/// Media parts in the lists stay attachments; only text parts are read into the body strings.
/// </summary>
internal static class BodySelector
{
    /// <summary>The parts of the text body and of the HTML body, in order (JMAP's textBody and htmlBody).</summary>
    public static BodyParts Select(MimeNode? root)
    {
        var text = new List<MimeNode>();
        var html = new List<MimeNode>();
        if (root is not null)
            Collect([root], "mixed", root, inAlternative: false, text, html);
        return new BodyParts(text, html);
    }

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

    /// <summary>True for text/plain and text/html leaves: the parts whose text is read into a body.</summary>
    public static bool IsBodyText(MimeNode node) =>
        node.Entity is TextPart && (node.Entity.ContentType.IsMimeType("text", "plain") || node.Entity.ContentType.IsMimeType("text", "html"));

    private static void Collect(IReadOnlyList<MimeNode> parts, string multipartType, MimeNode? first, bool inAlternative, List<MimeNode>? text, List<MimeNode>? html)
    {
        foreach (var part in parts)
        {
            if (part.Entity is Multipart)
            {
                var subtype = part.Entity.ContentType.MediaSubtype.ToLowerInvariant();
                if (subtype == "alternative")
                    CollectAlternative(part, text, html);
                else
                    Collect(part.Children, subtype, FirstOf(part), inAlternative, text, html);
                continue;
            }

            if (!IsInline(part, ReferenceEquals(part, first), multipartType))
                continue;

            if (inAlternative)
            {
                // This rendering of an alternative is plain text or HTML from here on (JMAP keeps the two apart).
                if (part.Entity.ContentType.IsMimeType("text", "plain"))
                    html = null;
                else if (part.Entity.ContentType.IsMimeType("text", "html"))
                    text = null;
            }

            text?.Add(part);
            html?.Add(part);
        }
    }

    // Each alternative is read on its own; the last one that yields a format gives that format's parts.
    private static void CollectAlternative(MimeNode alternative, List<MimeNode>? text, List<MimeNode>? html)
    {
        List<MimeNode>? chosenText = null, chosenHtml = null;
        var first = FirstOf(alternative);
        foreach (var child in alternative.Children)
        {
            var childText = new List<MimeNode>();
            var childHtml = new List<MimeNode>();
            if (child.Entity is Multipart)
            {
                Collect([child], "alternative-child", child, inAlternative: true, childText, childHtml);
            }
            else if (IsInline(child, ReferenceEquals(child, first), "alternative"))
            {
                if (child.Entity.ContentType.IsMimeType("text", "plain"))
                    childText.Add(child);
                else if (child.Entity.ContentType.IsMimeType("text", "html"))
                    childHtml.Add(child);
            }

            if (childText.Exists(IsBodyText))
                chosenText = childText;
            if (childHtml.Exists(IsBodyText))
                chosenHtml = childHtml;
        }

        chosenText ??= chosenHtml;
        chosenHtml ??= chosenText;
        if (chosenText is not null)
            text?.AddRange(chosenText);
        if (chosenHtml is not null)
            html?.AddRange(chosenHtml);
    }

    private static MimeNode? FirstOf(MimeNode multipart) =>
        multipart.Entity.ContentType.IsMimeType("multipart", "related") ? RelatedRoot(multipart)
            : multipart.Children.Count > 0 ? multipart.Children[0] : null;

    private static bool IsInline(MimeNode node, bool isFirst, string multipartType)
    {
        if (node.Entity is not MimePart part || IsAttachment(part))
            return false;

        var type = part.ContentType;
        var media = type.MediaType.ToLowerInvariant() is "image" or "audio" or "video";
        var text = part is TextPart && (type.IsMimeType("text", "plain") || type.IsMimeType("text", "html"));
        if (!text && !media)
            return false;

        return isFirst || (multipartType != "related" && (media || string.IsNullOrWhiteSpace(part.FileName)));
    }
}
