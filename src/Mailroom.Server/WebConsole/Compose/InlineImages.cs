using System.Text;
using System.Text.RegularExpressions;
using Mailroom.Server.Sending;

namespace Mailroom.Server.WebConsole.Compose;

/// <summary>
/// Inline images chosen in the compose form. The HTML refers to each by its file name (<c>&lt;img src="cid:logo.png"&gt;</c>),
/// which a person can type; a Content-ID must look like <c>name@domain</c>, so each image gets
/// <c>NAME@inline.mailroom</c> and the HTML's references to <c>cid:NAME</c> are rewritten to it.
/// </summary>
internal static partial class InlineImages
{
    public const string Domain = "inline.mailroom";

    /// <summary>The file's name as a Content-ID's left side: letters, digits, dot, dash and underscore.</summary>
    public static string NameOf(string fileName)
    {
        var name = new StringBuilder();
        foreach (var c in Path.GetFileName(fileName))
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-');
        return name.Length == 0 ? "image" : name.ToString();
    }

    /// <summary>The HTML with <c>cid:NAME</c> (where NAME ends at a quote, space, parenthesis or &gt;) made <c>cid:NAME@inline.mailroom</c>.</summary>
    public static string Rewrite(string html, IEnumerable<string> names)
    {
        foreach (var name in names)
            html = Regex.Replace(html, "cid:" + Regex.Escape(name) + "(?=[\"'\\s)>])", "cid:" + name + "@" + Domain,
                RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return html;
    }

    public static async Task<SendAttachment> ReadAsync(IFormFile file, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream();
        await file.CopyToAsync(content, cancellationToken);
        var name = NameOf(file.FileName);
        return new SendAttachment
        {
            FileName = Path.GetFileName(file.FileName), ContentType = file.ContentType, ContentBase64 = Convert.ToBase64String(content.ToArray()),
            ContentId = name + "@" + Domain,
        };
    }
}
