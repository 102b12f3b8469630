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
    /// <summary>Both bodies. A part in both lists (an HTML-only message's HTML, say) is decoded once.</summary>
    public static (string? Text, string? Html) Read(BodyParts bodies, NormalizationSession session)
    {
        var decoded = new Dictionary<MimeNode, string?>(ReferenceEqualityComparer.Instance);
        return (Read(bodies.Text, html: false, session, decoded), Read(bodies.Html, html: true, session, decoded));
    }

    private static string? Read(IReadOnlyList<MimeNode> parts, bool html, NormalizationSession session, Dictionary<MimeNode, string?> decoded)
    {
        var own = html ? "html" : "plain";
        if (!parts.Any(p => BodySelector.IsBodyText(p) && p.Entity.ContentType.IsMimeType("text", own)))
            return null;

        string? single = null;
        StringBuilder? joined = null;
        bool hasLf = false, hasCrLf = false; // what the joined text holds so far, for the separator's line ending
        foreach (var node in parts)
        {
            if (!BodySelector.IsBodyText(node))
                continue;
            if (!decoded.TryGetValue(node, out var content))
                decoded[node] = content = Decode(node, session);
            if (content is null)
                continue;

            if (!node.Entity.ContentType.IsMimeType("text", own))
                content = html ? TextLinkifier.ToHtml(content) : HtmlToText.Convert(content);

            if (single is null && joined is null)
            {
                single = content;
                Note(content, previous: '\0', ref hasLf, ref hasCrLf);
                continue;
            }

            joined ??= new StringBuilder(single);
            single = null;

            // Parts are separate blocks; a part that does not end its last line must not run into the next one.
            if (joined.Length > 0 && joined[^1] != '\n')
            {
                var newline = hasLf && !hasCrLf ? "\n" : "\r\n";
                Note(newline, joined[^1], ref hasLf, ref hasCrLf);
                joined.Append(newline);
            }

            Note(content, joined.Length > 0 ? joined[^1] : '\0', ref hasLf, ref hasCrLf);
            joined.Append(content);
        }

        return joined?.ToString() ?? single;
    }

    // Records whether appending text after the character previous adds a line feed or a CRLF to the joined text.
    private static void Note(string text, char previous, ref bool hasLf, ref bool hasCrLf)
    {
        hasLf |= text.Contains('\n', StringComparison.Ordinal);
        hasCrLf |= text.Contains("\r\n", StringComparison.Ordinal) || (previous == '\r' && text.StartsWith('\n'));
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
