using AngleSharp.Html.Dom;

namespace Mailroom.Core.Html;

/// <summary>The head every view document gets, built on the DOM after sanitizing: charset, CSP, no referrer, no DNS prefetch.</summary>
internal static class ViewDocumentShell
{
    // Layout help only: the message's own styles are inline. Images never overflow the frame.
    private const string Style = "body{margin:8px;overflow-wrap:break-word}img{max-width:100%;height:auto}pre{white-space:pre-wrap}";

    public static void Apply(IHtmlDocument document)
    {
        var head = document.Head ?? document.DocumentElement.InsertBefore(document.CreateElement("head"), document.Body);
        void Meta(string attribute, string name, string content)
        {
            var meta = document.CreateElement("meta");
            meta.SetAttribute(attribute, name);
            meta.SetAttribute("content", content);
            head.AppendChild(meta);
        }
        var charset = document.CreateElement("meta");
        charset.SetAttribute("charset", "utf-8");
        head.AppendChild(charset);
        Meta("http-equiv", "Content-Security-Policy", ViewSecurityPolicy.Document);
        Meta("http-equiv", "x-dns-prefetch-control", "off");
        Meta("name", "referrer", "no-referrer");
        var style = document.CreateElement("style");
        style.TextContent = Style;
        head.AppendChild(style);
        if (document.Doctype is null)
            document.InsertBefore(document.Implementation.CreateDocumentType("html", "", ""), document.FirstChild);
    }
}
