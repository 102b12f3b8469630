using Mailroom.Core.Messages;
using MimeKit;

namespace Mailroom.Core.Html;

/// <summary>
/// Renders a stored message (its raw MIME) as its safe view document: the HTML body under the email policy, or the
/// text body linkified and then put through the same policy; <c>cid:</c> references resolved to the message's own parts.
/// </summary>
public sealed class MessageViewRenderer(EmailHtmlSanitizer sanitizer)
{
    /// <summary>The view of <paramref name="raw"/>. <paramref name="partUrl"/> maps a leaf part index to the URL serving it; <paramref name="proxyUrl"/> is used when remote content is allowed.</summary>
    public SafeHtml Render(ReadOnlyMemory<byte> raw, Func<int, string> partUrl, Func<Uri, string?>? proxyUrl)
    {
        ArgumentNullException.ThrowIfNull(partUrl);
        using var stream = new MemoryStream(raw.ToArray(), writable: false);
        var message = MessageNormalizer.Parse(stream);
        var normalized = MessageNormalizer.Normalize(message);
        var parts = LeafParts(message);
        var context = new HtmlRenderContext
        {
            RemoteContent = proxyUrl is null ? RemoteContentMode.Block : RemoteContentMode.Proxy,
            ProxyUrl = proxyUrl,
            ResolveContentId = id => FindByContentId(parts, id) is { } index && IsInlineImage(parts[index]) ? partUrl(index) : null,
        };
        var html = normalized.HtmlBody ?? TextLinkifier.ToHtml(normalized.TextBody ?? "");
        var view = sanitizer.SanitizeForView(html, context);
        if (message.Headers.Contains("Disposition-Notification-To") || message.Headers.Contains("Return-Receipt-To"))
            view.Report.Add(PrivacyFindingKind.ReadReceiptRequested, "the sender asks for a read receipt; Mailroom never sends one by itself",
                message.Headers["Disposition-Notification-To"] ?? message.Headers["Return-Receipt-To"]);
        return view;
    }

    /// <summary>The message's leaf parts in document order; their index is how the view addresses them.</summary>
    public static IReadOnlyList<MimePart> LeafParts(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.BodyParts.OfType<MimePart>().ToList();
    }

    /// <summary>The index of the part whose Content-ID is <paramref name="contentId"/> (without angle brackets), or null.</summary>
    public static int? FindByContentId(IReadOnlyList<MimePart> parts, string contentId)
    {
        ArgumentNullException.ThrowIfNull(parts);
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i].ContentId is { } id && string.Equals(id.Trim('<', '>'), contentId, StringComparison.OrdinalIgnoreCase))
                return i;
        }
        return null;
    }

    /// <summary>True for an image part a browser may show inline (never SVG, which is a document).</summary>
    public static bool IsInlineImage(MimePart part)
    {
        ArgumentNullException.ThrowIfNull(part);
        return part.ContentType.MediaType.Equals("image", StringComparison.OrdinalIgnoreCase)
            && part.ContentType.MediaSubtype.ToLowerInvariant() is "png" or "jpeg" or "jpg" or "pjpeg" or "gif" or "webp" or "bmp" or "avif" or "x-icon" or "vnd.microsoft.icon";
    }
}
