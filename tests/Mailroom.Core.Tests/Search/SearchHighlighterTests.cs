using Mailroom.Core.Search;

namespace Mailroom.Core.Tests.Search;

public sealed class SearchHighlighterTests
{
    [Theory]
    [InlineData("<script>alert('x')</script> offer", "offer", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; <mark>offer</mark>")]
    [InlineData("<b onmouseover=\"x\">mark</b>", "mark", "&lt;b onmouseover=&quot;x&quot;&gt;<mark>mark</mark>&lt;/b&gt;")]
    [InlineData("Tom & Jerry", "jerry", "Tom &amp; <mark>Jerry</mark>")]
    [InlineData("Frau Müller, MÜLLER", "muller", "Frau <mark>Müller</mark>, <mark>MÜLLER</mark>")]
    [InlineData("Frau Müller", "mueller", "Frau <mark>Müller</mark>")]
    [InlineData("東京オフィスで面接", "東京", "<mark>東京</mark>オフィスで面接")]
    [InlineData("東京オフィスで面接", "オフ フィ ィス", "東京<mark>オフィス</mark>で面接")]
    [InlineData("no match here", "zebra", "no match here")]
    public void Text_is_escaped_and_only_marks_are_markup(string text, string terms, string expected) =>
        Assert.Equal(expected, SearchHighlighter.Highlight(text, terms.Split(' ')));

    [Fact]
    public void A_term_that_looks_like_markup_cannot_inject_it()
    {
        // Terms are folded words, but the highlighter must not trust them either.
        var html = SearchHighlighter.Highlight("a <img src=x onerror=alert(1)> b", ["img", "<img"]);
        Assert.Equal("a &lt;<mark>img</mark> src=x onerror=alert(1)&gt; b", html);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Snippets_start_near_the_first_match_and_are_cut_at_words()
    {
        var text = string.Join(' ', Enumerable.Repeat("filler", 100)) + " the needle is here " + string.Join(' ', Enumerable.Repeat("tail", 100));
        var snippet = SearchHighlighter.Snippet(text, ["needle"], 80);
        Assert.StartsWith("…", snippet, StringComparison.Ordinal);
        Assert.EndsWith("…", snippet, StringComparison.Ordinal);
        Assert.Contains("the <mark>needle</mark> is here", snippet, StringComparison.Ordinal);
        Assert.True(snippet.Replace("<mark>", "", StringComparison.Ordinal).Replace("</mark>", "", StringComparison.Ordinal).Length <= 82);

        Assert.Equal("short <mark>text</mark>", SearchHighlighter.Snippet("short\r\n\ttext", ["text"]));
        Assert.Equal("start of the…", SearchHighlighter.Snippet("start of the body without a match", ["zebra"], 14));
    }
}
