using Mailroom.Core.Html;

namespace Mailroom.Core.Tests.Html;

/// <summary>
/// Remote URLs hidden where a pattern does not look: inside var() fallbacks, nested functions, custom properties,
/// escaped names, strings that try to close the url( and open a declaration; and legacy presentational attributes
/// (background on body, table, td and the rest) carrying a value made to look like CSS. With remote content blocked
/// no remote host may remain in the document; proxied, only the proxy's URLs.
/// </summary>
public sealed class CssPrivacyTests
{
    private static readonly EmailHtmlSanitizer Sanitizer = new();

    public static TheoryData<string> Hostile =>
    [
        "<div style=\"background: var(--x, url(https://leak.invalid/a.png))\">x</div>",
        "<div style=\"background-image: var(--a, var(--b, url(https://leak.invalid/n.png)))\">x</div>",
        "<div style=\"background: var(--a, var(--b, var(--c, url('https://leak.invalid/q.png'))))\">x</div>",
        "<div style=\"--x: url(https://leak.invalid/b.png); background: var(--x)\">x</div>",
        "<div style=\"background: var(--x, image-set(url(https://leak.invalid/s.png) 1x))\">x</div>",
        "<div style=\"background: var(--x, -webkit-image-set('https://leak.invalid/w.png' 1x))\">x</div>",
        "<div style=\"background: v\\61r(--x, u\\72 l(https://leak.invalid/e.png))\">x</div>",
        "<div style=\"border-image: var(--x, url(https://leak.invalid/border.png)) 30 round\">x</div>",
        "<div style=\"list-style: var(--x, url(https://leak.invalid/bullet.png))\">x</div>",
        "<div style=\"width: calc(var(--w, 10px) + 1px); background: var(--x, cross-fade(url(https://leak.invalid/c.png), red 50%))\">x</div>",
        "<div style=\"background: url(cid:logo), var(--y, url('cid:x\\\") ;background:url(https://leak.invalid/z.png)'))\">x</div>",
        "<div style=\"background: url(&quot;x&quot;) , var(--y, url(https://leak.invalid/h.png))\">x</div>",
        "<table><tr><td background=\"x.png); background-image: url(https://leak.invalid/td.png\">x</td></tr></table>",
        "<table background=\"x&quot;); background: url(https://leak.invalid/table.png\"><tr><th background=\"https://leak.invalid/th.png\">x</th></tr></table>",
        "<body background=\"x&quot;); background: url(https://leak.invalid/body.png\">x</body>",
        "<body background=\"https://leak.invalid/body2.png\" style=\"background: var(--b, url(https://leak.invalid/body3.png))\">x</body>",
        "<table><tbody background=\"https://leak.invalid/tbody.png\"><tr background=\"//leak.invalid/tr.png\"><td>x</td></tr></tbody></table>",
        "<td background=\"data:image/png,x); background:url(https://leak.invalid/d.png)\">x</td>",
        "<img src=\"cid:none\" lowsrc=\"https://leak.invalid/low.png\" dynsrc=\"https://leak.invalid/dyn.avi\" srcset=\"https://leak.invalid/1.png 1x\">",
        "<video poster=\"https://leak.invalid/poster.png\"></video><input type=\"image\" src=\"https://leak.invalid/input.png\">",
        "<object data=\"https://leak.invalid/object.svg\"></object><svg><image xlink:href=\"https://leak.invalid/svg.png\"/><use href=\"https://leak.invalid/use.svg#a\"/></svg>",
        "<link rel=\"stylesheet\" href=\"https://leak.invalid/style.css\"><div style=\"background: var(--x, url(https://leak.invalid/after-link.png))\">x</div>",
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void No_remote_url_survives_with_remote_content_blocked(string html)
    {
        var view = Sanitizer.SanitizeForView(html, new HtmlRenderContext());
        Assert.DoesNotContain("leak.invalid", view.Html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Proxied_every_remote_url_goes_through_the_proxy(string html)
    {
        var view = Sanitizer.SanitizeForView(html, new HtmlRenderContext
        {
            RemoteContent = RemoteContentMode.Proxy,
            ProxyUrl = u => "/view/proxy?u=" + Uri.EscapeDataString(u.AbsoluteUri),
        });
        Assert.DoesNotContain("leak.invalid/", view.Html, StringComparison.OrdinalIgnoreCase); // only escaped inside proxy URLs
    }

    [Fact]
    public void A_url_in_a_var_fallback_is_proxied_like_a_top_level_one()
    {
        var view = Sanitizer.SanitizeForView("<div style=\"background: var(--x, url(https://img.example/a.png))\">x</div>", new HtmlRenderContext
        {
            RemoteContent = RemoteContentMode.Proxy,
            ProxyUrl = u => "/view/proxy?u=" + Uri.EscapeDataString(u.AbsoluteUri),
        });
        Assert.Contains("background: var(--x, url(&quot;/view/proxy?u=https%3A%2F%2Fimg.example%2Fa.png&quot;))", view.Html, StringComparison.Ordinal);
        Assert.Contains(view.Report.Findings, f => f.Kind == PrivacyFindingKind.RemoteContentProxied);
    }

    [Fact]
    public void A_url_in_a_var_fallback_is_blocked_and_reported_like_a_top_level_one()
    {
        var view = Sanitizer.SanitizeForView("<div style=\"color: red; background: var(--x, url(https://img.example/a.png))\">x</div>", new HtmlRenderContext());
        Assert.Contains("<div style=\"color: rgba(255, 0, 0, 1); background: var(--x, none)\">x</div>", view.Html, StringComparison.Ordinal);
        Assert.Contains(view.Report.Findings, f => f.Kind == PrivacyFindingKind.RemoteContentBlocked && f.Url == "https://img.example/a.png");
    }

    [Fact]
    public void A_cid_url_in_a_var_fallback_resolves_to_the_inline_part()
    {
        var view = Sanitizer.SanitizeForView("<div style=\"background: var(--x, url(cid:logo@x))\">x</div>", new HtmlRenderContext
        {
            ResolveContentId = id => id == "logo@x" ? "/view/part/7" : null,
        });
        Assert.Contains("url(&quot;/view/part/7&quot;)", view.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_background_attribute_is_a_url_resolved_like_an_image()
    {
        var context = new HtmlRenderContext { ResolveContentId = id => id == "bg@x" ? "/view/part/3" : null };
        var view = Sanitizer.SanitizeForView("<table background=\"cid:bg@x\"><tr><td background=\"https://img.example/td.png\">x</td></tr></table>", context);
        Assert.Contains("<table background=\"/view/part/3\">", view.Html, StringComparison.Ordinal);
        Assert.Contains("<td>x</td>", view.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", view.Html[view.Html.IndexOf("<body", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_the_proxy_refuses_to_sign_is_blocked()
    {
        var view = Sanitizer.SanitizeForView(
            "<img src=\"http://metadata.google.internal/a.png\"><div style=\"background: var(--x, url(http://localhost/b.png))\">x</div>",
            new HtmlRenderContext { RemoteContent = RemoteContentMode.Proxy, ProxyUrl = u => u.Host.EndsWith(".internal", StringComparison.Ordinal) || u.Host == "localhost" ? null : "/p" });
        Assert.DoesNotContain("internal", view.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost", view.Html, StringComparison.Ordinal);
        Assert.Equal(2, view.Report.Findings.Count(f => f.Kind == PrivacyFindingKind.RemoteContentBlocked));
    }

    [Theory]
    [InlineData("u\\72 l(x)", nameof(CssTokenKind.Url), "x")]
    [InlineData("url(  'a b' )", nameof(CssTokenKind.Function), "url")]
    [InlineData("url(a b)", nameof(CssTokenKind.BadUrl), "ab")]
    [InlineData("url(a\"b)", nameof(CssTokenKind.BadUrl), "ab")]
    [InlineData("\\75 rl(x)", nameof(CssTokenKind.Url), "x")]
    [InlineData("var(", nameof(CssTokenKind.Function), "var")]
    [InlineData("'a\\27 b'", nameof(CssTokenKind.String), "a'b")]
    public void The_tokenizer_reads_escapes_and_urls_as_css_syntax_does(string css, string kind, string value)
    {
        var token = CssTokenizer.Tokenize(css)[0];
        Assert.Equal(kind, token.Kind.ToString());
        Assert.Equal(value, token.Value);
    }
}
