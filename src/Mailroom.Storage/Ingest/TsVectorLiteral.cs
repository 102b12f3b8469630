using System.Globalization;
using System.Text;
using Mailroom.Core.Search;

namespace Mailroom.Storage.Ingest;

/// <summary>
/// A <see cref="SearchDocument"/> as PostgreSQL's tsvector input text (<c>'term':1A,7A 'other':2B</c>), so the vector holds
/// exactly the terms of <see cref="SearchTokenizer"/> with no text search parser or dictionary in between: the same
/// terms SQLite indexes, without PostgreSQL's text parser's cost at ingest. Each field
/// has its weight (A subject, B sender, C recipients, D body and attachment names) and a gap in the positions after it,
/// so that no phrase runs from one field into the next.
/// </summary>
internal static class TsVectorLiteral
{
    /// <summary>PostgreSQL keeps positions up to 16,383; later ones are stored as 16,383, as to_tsvector does.</summary>
    private const int MaxPosition = 16_383;

    public static string Of(SearchDocument document)
    {
        var positions = new Dictionary<string, List<(int Position, char Weight)>>(StringComparer.Ordinal);
        var at = 0;
        foreach (var (text, weight) in new[] { (document.Subject, 'A'), (document.Sender, 'B'), (document.Recipients, 'C'), (document.Body, 'D') })
        {
            foreach (var term in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                at++;
                if (!positions.TryGetValue(term, out var list))
                    positions[term] = list = [];
                // A lexeme keeps at most 256 positions in PostgreSQL; more of one word adds nothing to a phrase search.
                if (list.Count < 256)
                    list.Add((Math.Min(at, MaxPosition), weight));
            }

            at++;
        }

        var literal = new StringBuilder();
        foreach (var (term, list) in positions)
        {
            if (literal.Length > 0)
                literal.Append(' ');
            // Terms are letters and digits only; quoting and doubling are for safety, not need.
            literal.Append('\'').Append(term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)).Append("':");
            var previous = -1;
            var first = true;
            foreach (var (position, weight) in list)
            {
                if (position == previous)
                    continue;
                literal.Append(first ? "" : ",").Append(position.ToString(CultureInfo.InvariantCulture)).Append(weight);
                previous = position;
                first = false;
            }
        }

        return literal.ToString();
    }
}
