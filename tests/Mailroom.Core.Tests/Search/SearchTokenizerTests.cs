using Mailroom.Core.Search;

namespace Mailroom.Core.Tests.Search;

public sealed class SearchTokenizerTests
{
    [Theory]
    [InlineData("Hello, World!", "hello world")]
    [InlineData("alice@example.com", "alice example com")]
    [InlineData("budget-2026.xlsx", "budget 2026 xlsx")]
    [InlineData("Résumé café naïve", "resume cafe naive")]
    [InlineData("Straße", "strasse")]
    [InlineData("Ærø Łódź", "aero lodz")]
    [InlineData("СОБЕСЕДОВАНИЕ Ёлка", "собеседование елка")]
    [InlineData("Ｆｕｌｌｗｉｄｔｈ", "fullwidth")]
    [InlineData("東京オフィスで面接", "東京 京オ オフ フィ ィス スで で面 面接")]
    [InlineData("東 and 京", "東 and 京")]
    [InlineData("ﾃｽﾄ", "テス スト")]
    [InlineData("한국어 메일", "한국 국어 메일")]
    [InlineData("Tokyo東京2026", "tokyo 東京 2026")]
    [InlineData("\0<script>\u200b", "script")]
    public void Terms_are_folded_words_and_cjk_pairs(string text, string expected) =>
        Assert.Equal(expected, string.Join(' ', SearchTokenizer.Tokenize(text).Select(t => t.Term)));

    [Fact]
    public void German_umlauts_add_their_spelling_without_umlauts_at_the_end()
    {
        Assert.Equal("frau muller aus koln mueller koeln", SearchTokenizer.IndexText("Frau Müller aus Köln"));
        Assert.Equal("grusse", SearchTokenizer.IndexText("Grüße").Split(' ')[0]);
        Assert.Contains("gruesse", SearchTokenizer.IndexText("Grüße").Split(' '));
        Assert.Equal("muller mueller", SearchTokenizer.IndexText("Müller Müller").Replace("muller muller", "muller", StringComparison.Ordinal));
    }

    [Fact]
    public void Tokens_point_at_their_source_text()
    {
        const string text = "Hi Müller, 東京へ";
        var tokens = SearchTokenizer.Tokenize(text).ToList();
        Assert.Equal(["Hi", "Müller", "東京", "京へ"], tokens.Select(t => text.Substring(t.Start, t.Length)));
    }

    [Fact]
    public void Overlong_runs_are_not_indexed()
    {
        var base64 = new string('A', SearchTokenizer.MaxTermLength + 1);
        Assert.Equal("before after", SearchTokenizer.IndexText($"before {base64} after"));
    }

    [Fact]
    public void Documents_split_people_and_fall_back_to_the_html_text()
    {
        var document = SearchDocument.Create(
            "Offer", [("Anna Schmidt", "anna@acme.example")], [(null, "bob@corp.example")], null,
            "<p>The <b>interview</b> &amp; <script>alert(1)</script>offer</p>", ["cv.pdf", null]);
        Assert.Equal("offer", document.Subject);
        Assert.Equal("anna schmidt anna acme example", document.Sender);
        Assert.Equal("bob corp example", document.Recipients);
        Assert.Equal("the interview offer cv pdf", document.Body);
    }
}
