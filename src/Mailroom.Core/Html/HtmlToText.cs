using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Mailroom.Core.Html;

/// <summary>HTML to plain text for snippets and search: block structure as line breaks, lists as "- ", link targets in angle brackets.</summary>
public static class HtmlToText
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    { "script", "style", "head", "title", "template", "noscript", "svg", "math", "iframe", "object", "select", "textarea", "button" };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "table", "tr", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "section",
        "article", "header", "footer", "hr", "dl", "dt", "dd", "address", "center", "figure", "main", "nav", "aside",
    };

    /// <summary>The text of <paramref name="html"/>.</summary>
    public static string Convert(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        using var document = new HtmlParser().ParseDocument(html);
        var text = new StringBuilder(html.Length / 3);
        Walk(document.Body ?? (INode)document, text);
        return Tidy(text.ToString());
    }

    private static void Walk(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText t:
                    AppendCollapsed(text, t.Data);
                    break;
                case IElement e when Skipped.Contains(e.LocalName):
                    break;
                case IElement e:
                    var name = e.LocalName;
                    if (name == "br") { text.Append('\n'); break; }
                    var block = Blocks.Contains(name);
                    if (block) text.Append('\n');
                    if (name == "li") text.Append("- ");
                    if (name is "td" or "th") text.Append(' ');
                    if (name == "pre") { text.Append(e.TextContent); text.Append('\n'); break; }
                    Walk(e, text);
                    if (name == "a" && e.GetAttribute("href") is { } href && (href.StartsWith("http", StringComparison.OrdinalIgnoreCase))
                        && !string.Equals(e.TextContent.Trim(), href, StringComparison.OrdinalIgnoreCase))
                        text.Append(" <").Append(href).Append('>');
                    if (block) text.Append('\n');
                    break;
            }
        }
    }

    private static void AppendCollapsed(StringBuilder text, string data)
    {
        foreach (var c in data)
        {
            if (char.IsWhiteSpace(c) && c != '\u00a0')
            {
                if (text.Length > 0 && text[^1] is not (' ' or '\n'))
                    text.Append(' ');
            }
            else
            {
                text.Append(c == '\u00a0' ? ' ' : c);
            }
        }
    }

    private static string Tidy(string text)
    {
        var lines = text.Split('\n').Select(l => l.Trim());
        var result = new StringBuilder(text.Length);
        var blank = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0) { blank++; continue; }
            if (result.Length > 0) result.Append(blank > 0 ? "\n\n" : "\n");
            result.Append(line);
            blank = 0;
        }
        return result.ToString();
    }
}
