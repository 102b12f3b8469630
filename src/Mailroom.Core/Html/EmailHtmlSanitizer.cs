using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Ganss.Xss;
using Mailroom.Core.Sending;

namespace Mailroom.Core.Html;

/// <summary>
/// The email HTML policy on HtmlSanitizer (DESIGN §3 "HTML safety and privacy"): layout survives (tables, inline styles,
/// images from the message itself); script, event handlers, forms, frames, objects, <c>base</c>, meta refresh, SVG,
/// MathML, templates and style elements go; CSS is filtered; every URL a browser would fetch is removed, resolved to the
/// message's own parts or routed through the image proxy; tracking pixels are removed and tracked links reported.
/// </summary>
/// <remarks>
/// All rewriting happens on the DOM, before and inside HtmlSanitizer (its RemovingTag, RemovingAttribute and
/// PostProcessNode events); the sanitized DOM is serialized once, last. Thread-safe: each call has its own sanitizer.
/// </remarks>
public sealed class EmailHtmlSanitizer : IHtmlPolicy
{
    // Removed together with everything inside them: their content is script, raw text, foreign content or a control.
    private const string RemovedWithContent =
        "script, style, template, svg, math, iframe, frame, frameset, object, embed, applet, noscript, noembed, noframes, " +
        "title, textarea, select, button, xmp, plaintext, listing, link, meta, base, audio, video, canvas, portal, input, " +
        "keygen, isindex, param, source, track, datalist, output, progress, meter, dialog, slot";

    private static readonly string[] FetchingAttributes = ["src", "href", "data", "poster", "background", "srcset", "codebase", "dynsrc", "lowsrc", "action", "formaction", "manifest", "xlink:href", "imagesrcset"];

    private static readonly string[] Tags =
    [
        "a", "abbr", "acronym", "address", "article", "aside", "b", "bdi", "bdo", "big", "blockquote", "br", "caption",
        "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
        "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "li",
        "main", "mark", "nav", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span", "strike",
        "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul",
        "var", "wbr",
    ];

    private static readonly string[] Attributes =
    [
        "abbr", "align", "alt", "background", "bgcolor", "border", "cellpadding", "cellspacing", "class", "clear", "color",
        "cols", "colspan", "compact", "datetime", "dir", "face", "headers", "height", "href", "hspace", "id", "lang",
        "nowrap", "open", "reversed", "rowspan", "rules", "scope", "size", "span", "src", "start", "style", "summary",
        "title", "type", "valign", "value", "vspace", "width",
    ];

    private static readonly string[] Schemes = ["http", "https", "mailto", "tel", "cid", "data"];

    private readonly TrackingDetector _tracking;

    /// <summary>A sanitizer that recognises trackers from <paramref name="trackers"/> (default: the vendored EasyPrivacy list).</summary>
    public EmailHtmlSanitizer(TrackerList? trackers = null) => _tracking = new TrackingDetector(trackers ?? TrackerList.Default);

    /// <summary>The message's safe view: a complete HTML document with its CSP, and the privacy report.</summary>
    public SafeHtml SanitizeForView(string html, HtmlRenderContext context)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(context);
        var run = new Run(this, context);
        using var document = run.Sanitize(html);
        ViewDocumentShell.Apply(document);
        return new SafeHtml(document.ToHtml(run.Sanitizer.OutputFormatter), run.Report);
    }

    /// <summary>
    /// HTML a user sends, under the same policy: the body fragment, with remote image URLs kept as written
    /// (the recipients fetch them, not Mailroom) and nothing added.
    /// </summary>
    public SafeHtml SanitizeOutgoing(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var run = new Run(this, new HtmlRenderContext { RemoteContent = RemoteContentMode.Keep, ResolveContentId = id => "cid:" + id });
        using var document = run.Sanitize(html);
        return new SafeHtml(document.Body?.InnerHtml ?? "", run.Report);
    }

    /// <summary>Outgoing HTML gets the same policy as incoming (DESIGN §3); Mailroom adds nothing of its own.</summary>
    string IHtmlPolicy.Apply(string html) => SanitizeOutgoing(html).Html;

    /// <summary>One sanitization: the HtmlSanitizer instance, its event handlers and the report they fill.</summary>
    private sealed class Run
    {
        private readonly EmailHtmlSanitizer _owner;
        private readonly HtmlRenderContext _context;
        private readonly List<IElement> _pixels = [];

        public Run(EmailHtmlSanitizer owner, HtmlRenderContext context)
        {
            _owner = owner;
            _context = context;
            if (context.RemoteContent == RemoteContentMode.Proxy && context.ProxyUrl is null)
                throw new ArgumentException("Proxy mode needs a ProxyUrl.", nameof(context));
            Sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
            {
                AllowedTags = new HashSet<string>(Tags, StringComparer.OrdinalIgnoreCase),
                AllowedAttributes = new HashSet<string>(Attributes, StringComparer.OrdinalIgnoreCase),
                AllowedCssProperties = new HashSet<string>(HtmlSanitizerDefaults.AllowedCssProperties, StringComparer.OrdinalIgnoreCase),
                AllowedSchemes = new HashSet<string>(Schemes, StringComparer.OrdinalIgnoreCase),
                UriAttributes = new HashSet<string>(HtmlSanitizerDefaults.UriAttributes, StringComparer.OrdinalIgnoreCase),
                AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
            })
            {
                KeepChildNodes = true,
                AllowDataAttributes = false,
            };
            Sanitizer.RemovingTag += OnRemovingTag;
            Sanitizer.RemovingAttribute += OnRemovingAttribute;
            Sanitizer.RemovingStyle += (_, e) => Report.Add(PrivacyFindingKind.CssRemoved, $"CSS {e.Style.Name}: {e.Reason}");
            Sanitizer.RemovingComment += (_, e) => { };
            Sanitizer.PostProcessNode += OnPostProcessNode;
            Sanitizer.PostProcessDom += (_, _) =>
            {
                foreach (var pixel in _pixels)
                    pixel.Remove();
            };
        }

        public HtmlSanitizer Sanitizer { get; }
        public PrivacyReport Report { get; } = new();

        public IHtmlDocument Sanitize(string html)
        {
            var document = Sanitizer.HtmlParserFactory().ParseDocument(html);
            RemoveDangerousContainers(document);
            // A <frameset> document has no body, and the frameset itself has just been removed.
            if (document.Body is null)
                document.DocumentElement.AppendChild(document.CreateElement("body"));
            MoveBodyAttributesToWrapper(document);
            Sanitizer.SanitizeDom(document, document.Body);
            return document;
        }

        private void RemoveDangerousContainers(IHtmlDocument document)
        {
            foreach (var element in document.QuerySelectorAll(RemovedWithContent).ToArray())
            {
                if (element.Parent is null && element.ParentElement is null)
                    continue; // already removed with an ancestor
                var name = element.LocalName;
                if (name == "script")
                    Report.Add(PrivacyFindingKind.ScriptRemoved, "script element", element.GetAttribute("src"));
                else if (name == "meta" && string.Equals(element.GetAttribute("http-equiv"), "refresh", StringComparison.OrdinalIgnoreCase))
                    Report.Add(PrivacyFindingKind.ElementRemoved, "meta refresh", element.GetAttribute("content"));
                else if (name is not ("meta" or "title"))
                    Report.Add(PrivacyFindingKind.ElementRemoved, $"<{name}> element");
                ReportRemoteAttributes(element, $"<{name}>");
                element.Remove();
            }
            // Whatever else the sender put in <head> is not shown either; the view brings its own head.
            if (document.Head is { } head)
            {
                foreach (var child in head.ChildNodes.ToArray())
                    child.RemoveFromParent();
            }
            foreach (var attribute in document.DocumentElement.Attributes.ToArray())
            {
                ReportRemoteAttribute(attribute.Name, attribute.Value, "<html>");
                document.DocumentElement.RemoveAttribute(attribute.NamespaceUri, attribute.LocalName);
            }
        }

        // <body bgcolor=... style=...> carries the background of many newsletters: keep its presentational attributes
        // on a wrapper that is sanitized like the rest; the others (event handlers above all) are reported and dropped.
        private void MoveBodyAttributesToWrapper(IHtmlDocument document)
        {
            var body = document.Body!;
            if (body.Attributes.Length == 0)
                return;
            var wrapper = document.CreateElement("div");
            foreach (var attribute in body.Attributes.ToArray())
            {
                if (attribute.Name is "bgcolor" or "background" or "style" or "text" or "class" or "dir" or "lang")
                    wrapper.SetAttribute(attribute.Name == "text" ? "color" : attribute.Name, attribute.Value);
                else if (attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase))
                    Report.Add(PrivacyFindingKind.EventHandlerRemoved, $"{attribute.Name} on <body>");
                else
                    Report.Add(PrivacyFindingKind.AttributeRemoved, $"{attribute.Name} on <body>");
                body.RemoveAttribute(attribute.NamespaceUri, attribute.LocalName);
            }
            foreach (var child in body.ChildNodes.ToArray())
                wrapper.AppendChild(child);
            body.AppendChild(wrapper);
        }

        private void ReportRemoteAttributes(IElement element, string where)
        {
            foreach (var attribute in element.Attributes)
                ReportRemoteAttribute(attribute.Name, attribute.Value, where);
        }

        private void ReportRemoteAttribute(string name, string value, string where)
        {
            if (Array.IndexOf(FetchingAttributes, name.ToLowerInvariant()) >= 0 && LooksRemote(value))
                Report.Add(PrivacyFindingKind.RemoteContentBlocked, $"{where} {name}", value.Trim());
        }

        private void OnRemovingTag(object? sender, RemovingTagEventArgs e)
        {
            Report.Add(PrivacyFindingKind.ElementRemoved, $"<{e.Tag.LocalName}> element ({e.Reason})");
            ReportRemoteAttributes(e.Tag, $"<{e.Tag.LocalName}>");
        }

        private void OnRemovingAttribute(object? sender, RemovingAttributeEventArgs e)
        {
            var name = e.Attribute.Name;
            var value = e.Attribute.Value;
            if (name.StartsWith("on", StringComparison.OrdinalIgnoreCase))
                Report.Add(PrivacyFindingKind.EventHandlerRemoved, $"{name} on <{e.Tag.LocalName}>");
            else if (value.Contains("script:", StringComparison.OrdinalIgnoreCase))
                Report.Add(PrivacyFindingKind.ScriptRemoved, $"script URL in {name} on <{e.Tag.LocalName}>");
            else if (Array.IndexOf(FetchingAttributes, name.ToLowerInvariant()) >= 0 && LooksRemote(value))
                Report.Add(PrivacyFindingKind.RemoteContentBlocked, $"{name} on <{e.Tag.LocalName}>", value.Trim());
            else
                Report.Add(PrivacyFindingKind.AttributeRemoved, $"{name} on <{e.Tag.LocalName}> ({e.Reason})");
        }

        private void OnPostProcessNode(object? sender, PostProcessNodeEventArgs e)
        {
            if (e.Node is not IElement element)
                return;
            switch (element.LocalName)
            {
                case "a":
                    RewriteLink(element);
                    break;
                case "img":
                    RewriteImage(element);
                    break;
            }
            if (element.HasAttribute("href") && element.LocalName != "a")
                element.RemoveAttribute("href");
            if (element.GetAttribute("background") is { } background)
            {
                var target = ResolveResource(background, $"background on <{element.LocalName}>");
                if (target is null)
                    element.RemoveAttribute("background");
                else
                    element.SetAttribute("background", target);
            }
            if (element.HasAttribute("style"))
                CssFilter.Apply(element, (property, url) => ResolveResource(url, $"CSS {property}"), Report);
        }

        private void RewriteLink(IElement a)
        {
            var href = a.GetAttribute("href")?.Trim();
            if (href is null)
                return;
            if (href.StartsWith('#'))
                return;
            if (!Uri.TryCreate(href.StartsWith("//", StringComparison.Ordinal) ? "https:" + href : href, UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https" or "mailto" or "tel"))
            {
                a.RemoveAttribute("href");
                Report.Add(PrivacyFindingKind.AttributeRemoved, "link to something other than a web page, an address or a number", href);
                return;
            }
            if (uri.Scheme is "http" or "https" && _owner._tracking.LinkReason(uri) is { } reason)
                Report.Add(PrivacyFindingKind.TrackedLink, reason, href);
            if (_context.RemoteContent != RemoteContentMode.Keep)
            {
                a.SetAttribute("target", "_blank");
                a.SetAttribute("rel", "noopener noreferrer nofollow");
            }
        }

        private void RewriteImage(IElement img)
        {
            var src = img.GetAttribute("src")?.Trim();
            if (src is null)
                return;
            if (RemoteUri(src) is { } remote && _context.RemoteContent != RemoteContentMode.Keep
                && _owner._tracking.PixelReason(img, remote) is { } reason)
            {
                Report.Add(PrivacyFindingKind.TrackingPixel, reason, src);
                _pixels.Add(img);
                return;
            }
            var target = ResolveResource(src, "image");
            if (target is null)
                img.RemoveAttribute("src");
            else
                img.SetAttribute("src", target);
        }

        /// <summary>The URL to use for a fetched resource, or null to drop it (the report says why).</summary>
        private string? ResolveResource(string url, string what)
        {
            url = url.Trim();
            if (url.StartsWith("cid:", StringComparison.OrdinalIgnoreCase))
            {
                var id = Uri.UnescapeDataString(url[4..]).Trim('<', '>', ' ');
                var resolved = id.Length == 0 ? null : _context.ResolveContentId(id);
                if (resolved is null)
                    Report.Add(PrivacyFindingKind.MissingInlinePart, $"{what}: no inline part with this Content-ID", url);
                return resolved;
            }
            if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
                return IsDataImage(url) ? url : Drop(PrivacyFindingKind.AttributeRemoved, $"{what}: data URL that is not an image", null);
            if (RemoteUri(url) is { } remote)
            {
                switch (_context.RemoteContent)
                {
                    case RemoteContentMode.Keep:
                        return remote.AbsoluteUri;
                    case RemoteContentMode.Proxy:
                        if (_context.ProxyUrl!(remote) is not { } proxied)
                            return Drop(PrivacyFindingKind.RemoteContentBlocked, $"{what}: the image proxy refuses internal hosts", remote.AbsoluteUri);
                        Report.Add(PrivacyFindingKind.RemoteContentProxied, what, remote.AbsoluteUri);
                        return proxied;
                    default:
                        return Drop(PrivacyFindingKind.RemoteContentBlocked, what, remote.AbsoluteUri);
                }
            }
            return Drop(PrivacyFindingKind.AttributeRemoved, $"{what}: relative or unsupported URL", url);
        }

        private string? Drop(PrivacyFindingKind kind, string what, string? url)
        {
            Report.Add(kind, what, url);
            return null;
        }
    }

    private static bool LooksRemote(string value) => RemoteUri(value.Trim()) is not null
        || value.Contains("http:", StringComparison.OrdinalIgnoreCase) || value.Contains("https:", StringComparison.OrdinalIgnoreCase);

    private static Uri? RemoteUri(string url)
    {
        if (url.StartsWith("//", StringComparison.Ordinal))
            url = "https:" + url;
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0 ? uri : null;
    }

    private static bool IsDataImage(string url)
    {
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
            return false;
        var type = url[5..comma].Split(';')[0].Trim().ToLowerInvariant();
        return type is "image/png" or "image/jpeg" or "image/jpg" or "image/gif" or "image/webp" or "image/bmp" or "image/avif" or "image/x-icon" or "image/vnd.microsoft.icon";
    }
}
