using System.Text;
using Mailroom.Core.Html;
using MimeKit;

namespace Mailroom.Core.Messages;

/// <summary>
/// Reads the parts <see cref="BodySelector"/> chose into one text body and one HTML body. Every text part is kept,
/// in order: a plain-text part inside the HTML body is escaped into a <c>&lt;pre&gt;</c> block, an HTML part inside the
/// text body is turned into its text. A body with no part of its own format is null, as before any mixing.
/// </summary>
internal static class BodyReader
{
    public static string? Read(IReadOnlyList<MimeNode> parts, bool html, NormalizationSession session)
    {
        var own = html ? "html" : "plain";
        if (!parts.Any(p => BodySelector.IsBodyText(p) && p.Entity.ContentType.IsMimeType("text", own)))
            return null;

        string? single = null;
        StringBuilder? joined = null;
        foreach (var node in parts)
        {
            if (!BodySelector.IsBodyText(node) || Decode(node, session) is not { } content)
                continue;

            if (!node.Entity.ContentType.IsMimeType("text", own))
                content = html ? TextLinkifier.ToHtml(content) : HtmlToText.Convert(content);

            if (single is null && joined is null)
            {
                single = content;
                continue;
            }

            if (joined is null)
            {
                joined = new StringBuilder(single);
                single = null;
            }

            // Parts are separate blocks; a part that does not end its last line must not run into the next one.
            var sofar = joined.ToString();
            var newline = sofar.Contains('\n', StringComparison.Ordinal) && !sofar.Contains("\r\n", StringComparison.Ordinal) ? "\n" : "\r\n";
            if (joined.Length > 0 && joined[^1] != '\n')
                joined.Append(newline);
            joined.Append(content);
        }

        return joined?.ToString() ?? single;
    }

    private static string? Decode(MimeNode node, NormalizationSession session)
    {
        if (node.Entity is not MimePart part)
            return null;

        try
        {
            ContentSizer.CheckBase64(part, node.Where, session.Problems);
            return TextDecoder.Decode(part, node.Where, session.Problems, session.Fallback);
        }
        catch (Exception ex)
        {
            session.Problems.Add($"{node.Where}: text could not be decoded ({ex.GetType().Name})");
            return null;
        }
    }
}
