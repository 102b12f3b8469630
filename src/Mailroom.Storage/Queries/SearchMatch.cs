using System.Text;
using Mailroom.Core.Search;

namespace Mailroom.Storage.Queries;

/// <summary>
/// A query's terms in each database's own full-text syntax. Terms are <see cref="SearchTokenizer"/> output (letters
/// and digits only), and are quoted anyway, so nothing a person types reaches the syntax as an operator.
/// </summary>
internal static class SearchMatch
{
    /// <summary>
    /// An FTS5 MATCH expression: each word or phrase a quoted phrase (adjacent terms), limited to its column by a column
    /// filter, all of them ANDed: <c>"anna" sender : "anna example com" "東京" *</c>.
    /// </summary>
    public static string Fts5(IReadOnlyList<SearchTerm> terms)
    {
        var match = new StringBuilder();
        foreach (var term in terms)
        {
            if (match.Length > 0)
                match.Append(' ');
            match.Append(term.Field switch
            {
                SearchField.Subject => "subject : ",
                SearchField.From => "sender : ",
                SearchField.To => "recipients : ",
                _ => "",
            });
            match.Append('"').AppendJoin(' ', term.Terms.Select(t => t.Replace("\"", "\"\"", StringComparison.Ordinal))).Append('"');
            if (term.Prefix)
                match.Append(" *");
        }

        return match.ToString();
    }

    /// <summary>
    /// A tsquery literal (cast, not to_tsquery: the terms are the tokenizer's, as in the vectors): each phrase's lexemes joined by &lt;-&gt; (followed by), limited to its field's
    /// weight (A subject, B sender, C recipients), all of them ANDed: <c>'anna' &amp; 'anna':B &lt;-&gt; 'example':B</c>.
    /// </summary>
    public static string TsQuery(IReadOnlyList<SearchTerm> terms)
    {
        var query = new StringBuilder();
        foreach (var term in terms)
        {
            if (query.Length > 0)
                query.Append(" & ");
            var weight = term.Field switch
            {
                SearchField.Subject => "A",
                SearchField.From => "B",
                SearchField.To => "C",
                _ => "",
            };
            query.Append('(');
            for (var i = 0; i < term.Terms.Count; i++)
            {
                if (i > 0)
                    query.Append(" <-> ");
                query.Append('\'').Append(term.Terms[i].Replace("'", "''", StringComparison.Ordinal).Replace("\\", "\\\\", StringComparison.Ordinal)).Append('\'');
                var prefix = term.Prefix && i == term.Terms.Count - 1 ? "*" : "";
                if (prefix.Length > 0 || weight.Length > 0)
                    query.Append(':').Append(prefix).Append(weight);
            }

            query.Append(')');
        }

        return query.ToString();
    }
}
