using System.Text;
using MimeKit.Text;

namespace Mailroom.Core.Sending;

/// <summary>
/// The text/plain alternative for an HTML-only message: block elements become line breaks, list items get a dash,
/// links keep their target in angle brackets, script and style are dropped, whitespace runs collapse.
/// </summary>
internal static class GeneratedText
{
    private static readonly HashSet<HtmlTagId> Blocks =
    [
        HtmlTagId.P, HtmlTagId.Div, HtmlTagId.BlockQuote, HtmlTagId.H1, HtmlTagId.H2, HtmlTagId.H3, HtmlTagId.H4,
        HtmlTagId.H5, HtmlTagId.H6, HtmlTagId.Table, HtmlTagId.TR, HtmlTagId.UL, HtmlTagId.OL, HtmlTagId.Pre,
        HtmlTagId.HR, HtmlTagId.Address,
    ];

    public static string FromHtml(string html)
    {
        var text = new StringBuilder();
        var tokenizer = new HtmlTokenizer(new StringReader(html));
        var skipping = 0;
        string? href = null;
        var pre = 0;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style or HtmlTagId.Title or HtmlTagId.Head:
                    skipping += tag.IsEndTag ? -1 : tag.IsEmptyElement ? 0 : 1;
                    skipping = Math.Max(0, skipping);
                    break;
                case HtmlTagToken tag when tag.Id == HtmlTagId.Br:
                    text.Append('\n');
                    break;
                case HtmlTagToken tag when tag.Id == HtmlTagId.LI && !tag.IsEndTag:
                    NewLine(text);
                    text.Append("- ");
                    break;
                case HtmlTagToken tag when tag.Id == HtmlTagId.Pre:
                    pre += tag.IsEndTag ? -1 : 1;
                    NewLine(text);
                    break;
                case HtmlTagToken tag when Blocks.Contains(tag.Id):
                    NewLine(text);
                    if (tag.IsEndTag && tag.Id is HtmlTagId.P or HtmlTagId.Table or HtmlTagId.BlockQuote)
                        text.Append('\n');
                    break;
                case HtmlTagToken tag when tag.Id == HtmlTagId.A:
                    if (!tag.IsEndTag)
                        href = tag.Attributes.FirstOrDefault(a => a.Id == HtmlAttributeId.Href)?.Value;
                    else if (href is { Length: > 0 } && !href.StartsWith('#') && !href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
                        text.Append(" <").Append(href).Append('>');
                    if (tag.IsEndTag)
                        href = null;
                    break;
                case HtmlTagToken tag when tag.Id is HtmlTagId.TD or HtmlTagId.TH && !tag.IsEndTag:
                    if (text.Length > 0 && text[^1] is not '\n' and not ' ')
                        text.Append(' ');
                    break;
                case HtmlDataToken data when skipping == 0:
                    Append(text, data.Data, pre > 0);
                    break;
            }
        }
        return text.ToString().Trim('\n', ' ') + "\n";
    }

    private static void NewLine(StringBuilder text)
    {
        while (text.Length > 0 && text[^1] == ' ')
            text.Length--;
        if (text.Length > 0 && text[^1] != '\n')
            text.Append('\n');
    }

    private static void Append(StringBuilder text, string data, bool preformatted)
    {
        if (preformatted)
        {
            text.Append(data);
            return;
        }
        foreach (var c in data)
        {
            if (char.IsWhiteSpace(c) && c != '\u00a0')
            {
                if (text.Length > 0 && text[^1] is not ' ' and not '\n')
                    text.Append(' ');
            }
            else
            {
                text.Append(c);
            }
        }
    }
}
