using System.Globalization;
using System.Net;
using System.Text;

namespace Mailroom.Core.Sending;

/// <summary>The quoted original below a reply or a forward, as text and as HTML.</summary>
internal sealed class Quoting
{
    private readonly OriginalMessage _original;
    private readonly bool _forward;

    private Quoting(OriginalMessage original, bool forward)
    {
        _original = original;
        _forward = forward;
    }

    public static Quoting Reply(OriginalMessage original) => new(original, forward: false);

    public static Quoting Forward(OriginalMessage original) => new(original, forward: true);

    public string Text
    {
        get
        {
            var body = (_original.TextBody ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
            var text = new StringBuilder("\n\n");
            if (_forward)
            {
                text.Append("---------- Forwarded message ----------\n");
                foreach (var (name, value) in HeaderLines())
                    text.Append(name).Append(": ").Append(value).Append('\n');
                text.Append('\n').Append(body).Append('\n');
            }
            else
            {
                text.Append(Attribution()).Append('\n');
                foreach (var line in body.Split('\n'))
                    text.Append(line.Length == 0 || line.StartsWith('>') ? ">" : "> ").Append(line).Append('\n');
            }
            return text.ToString();
        }
    }

    public string Html(IHtmlPolicy policy)
    {
        // The original HTML goes through the same policy as the user's own; text is escaped into a <pre>.
        var original = _original.HtmlBody is { } html
            ? policy.Apply(html)
            : "<pre>" + WebUtility.HtmlEncode(_original.TextBody ?? "") + "</pre>";
        var html2 = new StringBuilder("\n<br>\n");
        if (_forward)
        {
            html2.Append("<div>---------- Forwarded message ----------<br>\n");
            foreach (var (name, value) in HeaderLines())
                html2.Append(name).Append(": ").Append(WebUtility.HtmlEncode(value)).Append("<br>\n");
            html2.Append("</div>\n").Append(original);
        }
        else
        {
            html2.Append("<div>").Append(WebUtility.HtmlEncode(Attribution())).Append("</div>\n")
                .Append("<blockquote type=\"cite\">\n").Append(original).Append("\n</blockquote>\n");
        }
        return html2.ToString();
    }

    private string Attribution()
    {
        var who = _original.From ?? "someone";
        return _original.Date is { } date
            ? $"On {date.ToString("ddd, d MMM yyyy HH:mm zzz", CultureInfo.InvariantCulture)}, {who} wrote:"
            : $"{who} wrote:";
    }

    private IEnumerable<(string Name, string Value)> HeaderLines()
    {
        if (_original.From is { } from) yield return ("From", from);
        if (_original.Date is { } date) yield return ("Date", date.ToString("ddd, d MMM yyyy HH:mm zzz", CultureInfo.InvariantCulture));
        if (_original.Subject is { } subject) yield return ("Subject", subject);
        if (_original.To is { } to) yield return ("To", to);
    }
}
