using Mailroom.Core.Html;

namespace Mailroom.Core.Tests.Html;

public sealed class EmailHtmlSanitizerTests
{
    private static readonly EmailHtmlSanitizer Sanitizer = new();

    private static SafeHtml View(string html, Func<string, string?>? cid = null) =>
        Sanitizer.SanitizeForView(html, new HtmlRenderContext { ResolveContentId = cid ?? (_ => null) });

    private static SafeHtml Proxied(string html) => Sanitizer.SanitizeForView(html, new HtmlRenderContext
    {
        RemoteContent = RemoteContentMode.Proxy,
        ProxyUrl = u => "/view/proxy?u=" + Uri.EscapeDataString(u.AbsoluteUri),
    });

    [Fact]
    public void Layout_html_survives()
    {
        var html = "<table width=\"600\" cellpadding=\"0\" bgcolor=\"#ffffff\" style=\"border-collapse:collapse\"><tr><td align=\"center\" style=\"padding:10px;color:#333333\"><font face=\"Arial\" size=\"2\">Hello <b>there</b></font></td></tr></table>";
        var view = View(html);
        Assert.Contains("<table width=\"600\" cellpadding=\"0\" bgcolor=\"#ffffff\"", view.Html, StringComparison.Ordinal);
        Assert.Contains("<td align=\"center\"", view.Html, StringComparison.Ordinal);
        Assert.Contains("padding: 10px", view.Html, StringComparison.Ordinal);
        Assert.Contains("<font face=\"Arial\" size=\"2\">Hello <b>there</b></font>", view.Html, StringComparison.Ordinal);
        Assert.Empty(view.Report.Counts);
    }

    [Theory]
    [InlineData("<div id=\"31\"><frameset onload=alert(31)>//</div>")]
    [InlineData("<frameset><frame src=\"https://e.example/\"></frameset>")]
    [InlineData("<html><frameset rows=\"*\"></frameset><body bgcolor=red>x</body></html>")]
    public void A_frameset_document_still_gets_a_body(string html)
    {
        var view = View(html);
        Assert.Contains("<body>", view.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("frame", view.Html[view.Html.IndexOf("<body", StringComparison.Ordinal)..], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_view_document_declares_its_csp_no_referrer_and_no_dns_prefetch()
    {
        var view = View("<p>x</p>");
        Assert.StartsWith("<!DOCTYPE html>", view.Html, StringComparison.Ordinal);
        Assert.Contains($"<meta http-equiv=\"Content-Security-Policy\" content=\"{ViewSecurityPolicy.Document}\">", view.Html, StringComparison.Ordinal);
        Assert.Contains("<meta http-equiv=\"x-dns-prefetch-control\" content=\"off\">", view.Html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"referrer\" content=\"no-referrer\">", view.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>x", PrivacyFindingKind.ScriptRemoved)]
    [InlineData("<img src=x onerror=alert(1)>", PrivacyFindingKind.EventHandlerRemoved)]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>", PrivacyFindingKind.ScriptRemoved)]
    [InlineData("<form action=\"https://e.example/\"><input name=q></form>", PrivacyFindingKind.ElementRemoved)]
    [InlineData("<iframe src=\"https://e.example/\"></iframe>", PrivacyFindingKind.ElementRemoved)]
    [InlineData("<svg><image href=\"https://e.example/a.png\"/></svg>", PrivacyFindingKind.ElementRemoved)]
    [InlineData("<meta http-equiv=refresh content=\"0;url=https://e.example/\">", PrivacyFindingKind.ElementRemoved)]
    [InlineData("<base href=\"https://e.example/\">", PrivacyFindingKind.ElementRemoved)]
    [InlineData("<style>p{color:red}</style>", PrivacyFindingKind.ElementRemoved)]
    [InlineData("<template><p>x</p></template>", PrivacyFindingKind.ElementRemoved)]
    [InlineData("<div style=\"position:fixed;top:0\">x</div>", PrivacyFindingKind.CssRemoved)]
    [InlineData("<div style=\"width:expression(alert(1))\">x</div>", PrivacyFindingKind.AttributeRemoved)] // the CSS parser rejects the value: the emptied style goes
    public void Dangerous_content_goes_and_is_reported(string html, PrivacyFindingKind kind)
    {
        var view = View(html);
        Assert.True(view.Report.Count(kind) > 0, string.Join("; ", view.Report.Findings));
        var body = view.Html[view.Html.IndexOf("<body", StringComparison.Ordinal)..];
        foreach (var bad in new[] { "<script", "onerror", "javascript:", "<form", "<iframe", "<svg", "<base", "<template", "fixed", "expression", "http-equiv=\"refresh\"", "<style" })
            Assert.DoesNotContain(bad, body, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("<img src=\"https://img.example/a.png\" width=\"300\">")]
    [InlineData("<img src=\"//img.example/a.png\" width=\"300\">")]
    [InlineData("<table background=\"https://img.example/bg.png\"><tr><td>x</td></tr></table>")]
    [InlineData("<div style=\"background:url('https://img.example/bg.png') #fff\">x</div>")]
    [InlineData("<div style=\"background-image:image-set('https://img.example/a.png' 1x)\">x</div>")]
    [InlineData("<ul style=\"list-style-image:url(https://img.example/b.png)\"><li>x</li></ul>")]
    [InlineData("<img srcset=\"https://img.example/a.png 2x\">")]
    [InlineData("<link rel=stylesheet href=\"https://img.example/s.css\">")]
    [InlineData("<video poster=\"https://img.example/p.png\"></video>")]
    public void Remote_content_is_blocked_by_default_and_counted(string html)
    {
        var view = View(html);
        Assert.DoesNotContain("img.example", view.Html, StringComparison.Ordinal);
        Assert.True(view.Report.RemoteContentBlocked + view.Report.Count(PrivacyFindingKind.CssRemoved) > 0, string.Join("; ", view.Report.Findings));
    }

    [Fact]
    public void Allowed_remote_images_go_through_the_proxy_and_nothing_else_remote_stays()
    {
        var view = Proxied("<img src=\"https://img.example/a.png\" width=\"300\"><div style=\"background:url(https://img.example/bg.png)\">x</div><link rel=preload href=\"https://img.example/p\">");
        Assert.Contains("src=\"/view/proxy?u=https%3A%2F%2Fimg.example%2Fa.png\"", view.Html, StringComparison.Ordinal);
        Assert.Contains("url(&quot;/view/proxy?u=https%3A%2F%2Fimg.example%2Fbg.png&quot;)", view.Html, StringComparison.Ordinal);
        Assert.Equal(2, view.Report.RemoteContentProxied);
        Assert.DoesNotContain("\"https://img.example", view.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<img src=\"https://news.example/o.gif?u=1\" width=\"1\" height=\"1\">")]
    [InlineData("<img src=\"https://news.example/o.gif\" style=\"display:none\">")]
    [InlineData("<img src=\"https://www.google-analytics.com/collect?v=1\">")]
    [InlineData("<img src=\"https://acme.us1.list-manage.com/track/open.php?u=1\" width=\"600\">")]
    public void Tracking_pixels_are_removed_even_when_remote_content_is_allowed(string html)
    {
        var view = Proxied(html);
        Assert.Equal(1, view.Report.TrackingPixels);
        Assert.DoesNotContain("<img", view.Html[view.Html.IndexOf("<body", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Equal(0, view.Report.RemoteContentProxied);
    }

    [Fact]
    public void Tracked_links_are_reported_and_kept()
    {
        var view = View("<a href=\"https://shop.example/p?utm_source=news&utm_medium=email\">Shop</a><a href=\"https://shop.example/plain\">Plain</a>");
        Assert.Equal(1, view.Report.TrackedLinks);
        Assert.Contains("utm_source", view.Report.Findings.Single(f => f.Kind == PrivacyFindingKind.TrackedLink).What, StringComparison.Ordinal);
        Assert.Contains("href=\"https://shop.example/p?utm_source=news&amp;utm_medium=email\"", view.Html, StringComparison.Ordinal);
        Assert.Contains("rel=\"noopener noreferrer nofollow\"", view.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Cid_references_resolve_to_the_messages_own_parts_and_unknown_ones_are_reported()
    {
        var view = View("<img src=\"cid:logo@acme\"><img src=\"cid:missing@acme\"><div style=\"background:url(cid:bg@acme)\">x</div>",
            id => id is "logo@acme" or "bg@acme" ? "/view/messages/7/inline/" + (id == "logo@acme" ? 1 : 2) : null);
        Assert.Contains("<img src=\"/view/messages/7/inline/1\">", view.Html, StringComparison.Ordinal);
        Assert.Contains("url(&quot;/view/messages/7/inline/2&quot;)", view.Html, StringComparison.Ordinal);
        Assert.Equal(1, view.Report.Count(PrivacyFindingKind.MissingInlinePart));
    }

    [Fact]
    public void Data_urls_are_kept_for_raster_images_only()
    {
        var view = View("<img src=\"data:image/png;base64,iVBORw0KGgo=\"><img src=\"data:image/svg+xml;base64,PHN2Zz4=\"><a href=\"data:text/html,x\">x</a>");
        Assert.Contains("src=\"data:image/png;base64,iVBORw0KGgo=\"", view.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("svg+xml", view.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("data:text", view.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Outgoing_html_gets_the_same_policy_but_keeps_remote_images_and_adds_nothing()
    {
        var result = Sanitizer.SanitizeOutgoing("<p onclick=\"x()\">Hi <img src=\"https://cdn.example/logo.png\"> <img src=\"cid:sig@me\"></p><script>x()</script><a href=\"https://a.example/\">a</a>");
        Assert.Equal("<p>Hi <img src=\"https://cdn.example/logo.png\"> <img src=\"cid:sig@me\"></p><a href=\"https://a.example/\">a</a>", result.Html);
        Assert.Equal(1, result.Report.ScriptRemovedCount());
    }
}

internal static class ReportExtensions
{
    public static int ScriptRemovedCount(this PrivacyReport report) => report.Count(PrivacyFindingKind.ScriptRemoved);
}
