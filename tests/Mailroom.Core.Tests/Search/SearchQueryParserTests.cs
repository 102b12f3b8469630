using Mailroom.Core.Search;

namespace Mailroom.Core.Tests.Search;

public sealed class SearchQueryParserTests
{
    private static SearchQuery Parse(string text)
    {
        Assert.True(SearchQueryParser.TryParse(text, out var query, out var error), error);
        return query;
    }

    private static string Error(string text)
    {
        Assert.False(SearchQueryParser.TryParse(text, out _, out var error));
        return error;
    }

    [Fact]
    public void Words_and_phrases_are_terms_in_any_field()
    {
        var query = Parse("Budget  \"quarterly REVIEW\" alice@example.com");
        Assert.Equal(
            [(SearchField.Any, "budget"), (SearchField.Any, "quarterly review"), (SearchField.Any, "alice example com")],
            query.Terms.Select(t => (t.Field, string.Join(' ', t.Terms))));
        Assert.All(query.Terms, t => Assert.False(t.Prefix));
        Assert.Equal(["budget", "quarterly", "review", "alice", "example", "com"], query.HighlightTerms);
    }

    [Fact]
    public void Fields_take_words_or_quoted_phrases()
    {
        var query = Parse("FROM:anna to:\"Bob Lee\" subject:Offer has:attachment after:2026-03-01 before:2026/04/01 " +
            "in:\"Sent Items\" mailbox:12 contact:A-17");
        Assert.Equal(
            [(SearchField.From, "anna"), (SearchField.To, "bob lee"), (SearchField.Subject, "offer")],
            query.Terms.Select(t => (t.Field, string.Join(' ', t.Terms))));
        Assert.True(query.HasAttachment);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), query.After);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), query.Before);
        Assert.Equal("Sent Items", query.Folder);
        Assert.Equal("12", query.Mailbox);
        Assert.Equal("A-17", query.Contact);
        Assert.Equal(["offer"], query.HighlightTerms);
    }

    [Fact]
    public void Urls_times_and_cjk_are_words()
    {
        Assert.Equal("https example com", string.Join(' ', Parse("https://example.com").Terms.Single().Terms));
        Assert.Equal("10 30", string.Join(' ', Parse("10:30").Terms.Single().Terms));
        var tokyo = Parse("東京で").Terms.Single();
        Assert.Equal(["東京", "京で"], tokyo.Terms);
        Assert.True(Parse("面").Terms.Single().Prefix);
    }

    [Fact]
    public void Filters_alone_are_a_query()
    {
        Assert.Empty(Parse("in:inbox").Terms);
        Assert.True(Parse("has:attachments").HasAttachment);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), Parse("after:2026-03-01T12:00:00+02:00").After);
    }

    [Theory]
    [InlineData("budget \"quarterly review", "Unbalanced quote: the phrase that starts at position 8 has no closing \".")]
    [InlineData("from:\"anna", "Unbalanced quote: the phrase that starts at position 6 has no closing \".")]
    [InlineData("don\"t", "Unexpected quote at position 4")]
    [InlineData("\"a\"b", "Expected a space after the closing quote at position 3.")]
    [InlineData("color:red", "Unknown field 'color:' at position 1. Known fields: from:, to:, subject:, has:, before:, after:, in:, mailbox:, contact:.")]
    [InlineData("budget label:x", "Unknown field 'label:' at position 8.")]
    [InlineData("from:", "'from:' at position 1 needs a value.")]
    [InlineData("in:\"\"", "'in:' at position 1 needs a value.")]
    [InlineData("from:!!!", "'from:!!!' at position 1 has no letters or digits to search for.")]
    [InlineData("has:picture", "has:picture at position 1 is not supported; the only one is has:attachment.")]
    [InlineData("before:yesterday", "before:yesterday at position 1 is not a date; write it as YYYY-MM-DD")]
    [InlineData("after:2026-02-30", "after:2026-02-30 at position 1 is not a date")]
    [InlineData("in:a in:b", "in: may be given once")]
    [InlineData("contact:a contact:b", "contact: may be given once")]
    [InlineData("", "The query has nothing to search for")]
    [InlineData("!!! ???", "The query has nothing to search for")]
    public void Bad_queries_say_what_is_wrong(string text, string expected) =>
        Assert.StartsWith(expected, Error(text), StringComparison.Ordinal);

    [Fact]
    public void Oversized_queries_are_refused()
    {
        Assert.StartsWith("The query is 1001 characters long", Error(new string('a', 1001)), StringComparison.Ordinal);
        Assert.StartsWith("The query has more than 32", Error(string.Join(' ', Enumerable.Range(0, 33).Select(i => "w" + i))), StringComparison.Ordinal);
    }
}
