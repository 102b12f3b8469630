using System.Net;
using System.Text;

namespace Mailroom.Core.Messages;

/// <summary>
/// Readable text from the start of a body, for the snippet. HTML is read crudely in one forward pass that stops as
/// soon as enough text is collected: tags dropped, script/style/title skipped, entities decoded, whitespace collapsed.
/// Not a sanitizer and not a renderer.
/// </summary>
internal static class HtmlText
{
    /// <summary>The snippet length the normalizer uses.</summary>
    public const int SnippetLength = 200;

    // Elements whose content is never shown as text. Not <head>: an unclosed one would hide the whole body.
    private static readonly string[] SkippedElements = ["script", "style", "title", "template", "noscript", "xml"];

    // Elements that run inside a line; every other tag separates words.
    private static readonly HashSet<string> InlineElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "em", "font", "i", "kbd", "mark", "q", "s", "samp",
        "small", "span", "strike", "strong", "sub", "sup", "tt", "u", "var", "wbr",
    };

    /// <summary>Collapsed plain text, at most <paramref name="maxLength"/> characters.</summary>
    public static string FromText(string text, int maxLength = SnippetLength)
    {
        var collector = new Collector(maxLength);
        collector.Append(text);
        return collector.ToString();
    }

    /// <summary>Collapsed readable text of an HTML document, at most <paramref name="maxLength"/> characters.</summary>
    public static string FromHtml(string html, int maxLength = SnippetLength)
    {
        var collector = new Collector(maxLength);
        var i = 0;
        while (i < html.Length && !collector.IsFull)
        {
            var next = html.AsSpan(i).IndexOfAny('<', '&');
            if (next < 0)
            {
                collector.Append(html.AsSpan(i));
                break;
            }

            collector.Append(html.AsSpan(i, next));
            i += next;
            i = html[i] == '&' ? ReadEntity(html, i, collector) : ReadTag(html, i, collector);
        }

        return collector.ToString();
    }

    private static int ReadEntity(string html, int amp, Collector collector)
    {
        var end = html.AsSpan(amp + 1, Math.Min(32, html.Length - amp - 1)).IndexOfAny(';', '<', '&');
        if (end <= 0 || html[amp + 1 + end] != ';')
        {
            collector.Append('&');
            return amp + 1;
        }

        var entity = html.AsSpan(amp, end + 2);
        switch (entity)
        {
            case "&nbsp;":
                collector.Append(' ');
                break;
            case "&amp;":
                collector.Append('&');
                break;
            case "&lt;":
                collector.Append('<');
                break;
            case "&gt;":
                collector.Append('>');
                break;
            case "&quot;":
                collector.Append('"');
                break;
            default:
                collector.Append(WebUtility.HtmlDecode(entity.ToString()));
                break;
        }

        return amp + entity.Length;
    }

    private static int ReadTag(string html, int lt, Collector collector)
    {
        if (html.AsSpan(lt).StartsWith("<!--", StringComparison.Ordinal))
        {
            var close = html.IndexOf("-->", lt + 4, StringComparison.Ordinal);
            return close < 0 ? html.Length : close + 3;
        }

        var j = lt + 1;
        var closing = j < html.Length && html[j] == '/';
        if (closing)
            j++;

        var nameStart = j;
        while (j < html.Length && (char.IsAsciiLetterOrDigit(html[j]) || html[j] == '-'))
            j++;
        var name = html.AsSpan(nameStart, j - nameStart);

        if (name.IsEmpty && (j >= html.Length || (html[j] != '!' && html[j] != '?')))
        {
            // A bare '<' in text.
            collector.Append('<');
            return lt + 1;
        }

        var end = FindTagEnd(html, j);
        if (!closing && IsSkipped(name))
            return SkipElement(html, end, name);

        if (!InlineElements.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name))
            collector.Append(' ');
        return end;
    }

    private static bool IsSkipped(ReadOnlySpan<char> name)
    {
        foreach (var skipped in SkippedElements)
        {
            if (name.Equals(skipped, StringComparison.OrdinalIgnoreCase))
                return true;
        }

        return false;
    }

    // Finds the '>' that ends a tag, stepping over quoted attribute values.
    private static int FindTagEnd(string html, int from)
    {
        var quote = '\0';
        for (var k = from; k < html.Length; k++)
        {
            var c = html[k];
            if (quote != '\0')
            {
                if (c == quote)
                    quote = '\0';
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return k + 1;
            }
        }

        return html.Length;
    }

    // Skips to the matching closing tag; an unclosed script or style hides the rest, as in a browser.
    private static int SkipElement(string html, int from, ReadOnlySpan<char> name)
    {
        var k = from;
        while (k < html.Length)
        {
            var close = html.IndexOf("</", k, StringComparison.Ordinal);
            if (close < 0)
                return html.Length;

            var candidate = html.AsSpan(close + 2);
            if (candidate.Length >= name.Length && candidate[..name.Length].Equals(name, StringComparison.OrdinalIgnoreCase)
                && (candidate.Length == name.Length || !char.IsAsciiLetterOrDigit(candidate[name.Length])))
            {
                return FindTagEnd(html, close + 2 + name.Length);
            }

            k = close + 2;
        }

        return html.Length;
    }

    /// <summary>Collects text with whitespace collapsed and invisible characters dropped, up to a length.</summary>
    private sealed class Collector(int maxLength)
    {
        private readonly StringBuilder text = new(Math.Min(maxLength, 256));
        private bool pendingSpace;

        public bool IsFull => text.Length >= maxLength;

        public void Append(char c)
        {
            if (IsFull)
                return;

            if (char.IsWhiteSpace(c))
            {
                pendingSpace = text.Length > 0;
                return;
            }

            if (IsInvisible(c))
                return;

            if (pendingSpace)
            {
                pendingSpace = false;
                text.Append(' ');
                if (IsFull)
                    return;
            }

            text.Append(c);
        }

        public void Append(ReadOnlySpan<char> chars)
        {
            foreach (var c in chars)
            {
                if (IsFull)
                    return;
                Append(c);
            }
        }

        public override string ToString()
        {
            var length = Math.Min(text.Length, maxLength);
            if (length > 0 && char.IsHighSurrogate(text[length - 1]))
                length--;
            return text.ToString(0, length);
        }

        // Zero-width and formatting characters that newsletters use to pad their preview text.
        private static bool IsInvisible(char c) =>
            c is '\u00AD' or '\u034F' or '\u061C' or '\u180E' or (>= '\u200B' and <= '\u200F') or (>= '\u2060' and <= '\u2064')
                or '\uFEFF' or (< ' ' and not '\t');
    }
}
