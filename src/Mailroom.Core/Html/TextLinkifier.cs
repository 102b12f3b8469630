using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Mailroom.Core.Html;

/// <summary>Plain text to HTML: every character escaped, web and mail addresses made into links (http, https and mailto only).</summary>
public static partial class TextLinkifier
{
    // Stops at whitespace, quotes and angle brackets; trailing punctuation is trimmed below.
    [GeneratedRegex(@"\b(?:https?://|www\.)[^\s<>""'`]+|\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Candidate();

    /// <summary>An HTML fragment (<c>&lt;pre&gt;</c>) for <paramref name="text"/>; run it through the email policy before serving it.</summary>
    public static string ToHtml(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var html = new StringBuilder(text.Length + 64);
        html.Append("<pre class=\"text-body\">");
        var last = 0;
        foreach (Match match in Candidate().Matches(text))
        {
            var value = match.Value.TrimEnd('.', ',', ';', ':', '!', '?', ')', ']', '}');
            var href = value.Contains('@', StringComparison.Ordinal) && !value.Contains("://", StringComparison.Ordinal)
                ? "mailto:" + value
                : value.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? "https://" + value : value;
            if (!Uri.TryCreate(href, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "mailto"))
                continue;
            html.Append(WebUtility.HtmlEncode(text[last..match.Index]));
            html.Append("<a href=\"").Append(WebUtility.HtmlEncode(uri.AbsoluteUri)).Append("\">")
                .Append(WebUtility.HtmlEncode(value)).Append("</a>");
            last = match.Index + value.Length;
        }
        html.Append(WebUtility.HtmlEncode(text[last..]));
        html.Append("</pre>");
        return html.ToString();
    }
}
