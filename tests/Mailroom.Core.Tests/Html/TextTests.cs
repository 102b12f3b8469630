using Mailroom.Core.Html;

namespace Mailroom.Core.Tests.Html;

public sealed class TextTests
{
    [Fact]
    public void Plain_text_is_escaped_and_only_web_and_mail_addresses_become_links()
    {
        var html = TextLinkifier.ToHtml("See https://example.com/a?b=1&c=2. Or www.example.org, mail bob@example.com\n<script>alert(1)</script> javascript:alert(1) data:text/html,x");
        Assert.Equal("<pre class=\"text-body\">See <a href=\"https://example.com/a?b=1&amp;c=2\">https://example.com/a?b=1&amp;c=2</a>. Or <a href=\"https://www.example.org/\">www.example.org</a>, mail <a href=\"mailto:bob@example.com\">bob@example.com</a>\n&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1) data:text/html,x</pre>", html);
    }

    [Fact]
    public void A_linkified_text_body_goes_through_the_policy_unchanged_in_substance()
    {
        var view = new EmailHtmlSanitizer().SanitizeForView(TextLinkifier.ToHtml("Hi <b> https://example.com/x"), new HtmlRenderContext());
        Assert.Contains("<pre class=\"text-body\">Hi &lt;b&gt; <a href=\"https://example.com/x\" target=\"_blank\" rel=\"noopener noreferrer nofollow\">https://example.com/x</a></pre>", view.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_to_text_keeps_blocks_lists_and_link_targets_and_drops_script()
    {
        var text = HtmlToText.Convert("<html><head><title>T</title><style>p{}</style></head><body><h1>News</h1><p>Hello&nbsp;<b>world</b></p><ul><li>one</li><li>two</li></ul><p><a href=\"https://example.com/more\">Read more</a></p><script>alert(1)</script><table><tr><td>a</td><td>b</td></tr></table></body></html>");
        Assert.Equal("News\n\nHello world\n\n- one\n\n- two\n\nRead more <https://example.com/more>\n\na b", text);
    }
}
