using Mailroom.Core.Messages;

namespace Mailroom.Core.Tests.Messages;

public sealed class SnippetTests
{
    [Theory]
    [InlineData("<p>Hello <b>world</b></p>", "Hello world")]
    [InlineData("<html><head><title>T</title><style>p{color:red}</style><script>var x = '<p>';</script></head><body>Text</body></html>", "Text")]
    [InlineData("A&amp;B &lt;tag&gt; &quot;q&quot; &#233;&#x00e9; &eacute; &bogus; &", "A&B <tag> \"q\" éé é &bogus; &")]
    [InlineData("<div>one</div><div>two</div>", "one two")]
    [InlineData("line<br>break", "line break")]
    [InlineData("  lots \r\n\t of   space  ", "lots of space")]
    [InlineData("<!-- hidden --><!--[if mso]>outlook<![endif]-->shown", "shown")]
    [InlineData("a < b and c > d", "a < b and c > d")]
    [InlineData("<a href=\"x>y\">link</a> after", "link after")]
    [InlineData("<span>&zwnj;&nbsp;&zwnj;\u034f\u200b</span>Preview", "Preview")]
    [InlineData("<SCRIPT>alert(1)</SCRIPT >visible<STYLE>x</STYLE>", "visible")]
    [InlineData("<script>never closed", "")]
    public void Html_to_text_strips_tags_skips_script_and_style_and_decodes_entities(string html, string expected)
    {
        Assert.Equal(expected, HtmlText.FromHtml(html));
    }

    [Fact]
    public void Snippet_is_at_most_200_characters_and_stops_reading_early()
    {
        var html = "<p>" + string.Concat(Enumerable.Repeat("word ", 100_000)) + "</p>";

        var snippet = HtmlText.FromHtml(html);

        Assert.Equal(HtmlText.SnippetLength, snippet.Length);
        Assert.StartsWith("word word", snippet, StringComparison.Ordinal);
    }

    [Fact]
    public void Snippet_does_not_end_in_half_a_surrogate_pair()
    {
        var text = new string('a', 199) + "😀 more";

        Assert.Equal(new string('a', 199), HtmlText.FromText(text));
    }

    [Fact]
    public void Snippet_comes_from_the_text_body_when_there_is_one()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/alternative; boundary=a

            --a
            Content-Type: text/plain

            From   the
            text body
            --a
            Content-Type: text/html

            <p>From the HTML</p>
            --a--
            """);

        Assert.Equal("From the text body", message.Snippet);
    }

    [Fact]
    public void Snippet_comes_from_the_html_when_the_text_body_is_blank_or_missing()
    {
        var message = TestMessages.Normalize("Content-Type: text/html\n\n<style>p{}</style><p>Only&nbsp;HTML</p>\n");

        Assert.Equal("Only HTML", message.Snippet);
    }
}
