using Mailroom.Core.Search;
using Mailroom.Storage.Ingest;

namespace Mailroom.Storage.Tests;

public sealed class TsVectorLiteralTests
{
    [Fact]
    public void Fields_have_their_weights_and_a_gap_between_them()
    {
        var document = new SearchDocument("budget review", "anna", "bob", "the budget the end");
        Assert.Equal("'budget':1A,9D 'review':2A 'anna':4B 'bob':6C 'the':8D,10D 'end':11D", TsVectorLiteral.Of(document));
    }

    [Fact]
    public void Positions_stop_at_postgresqls_limit_and_a_lexeme_keeps_at_most_256()
    {
        var body = string.Join(' ', Enumerable.Repeat("word", 20_000)) + " last";
        var literal = TsVectorLiteral.Of(new SearchDocument("", "", "", body));
        Assert.Equal(256, literal.Split(' ')[0].Split(',').Length);
        Assert.EndsWith("'last':16383D", literal, StringComparison.Ordinal);
    }
}
