using System.Text;

namespace Mailroom.Core.Search;

/// <summary>
/// Marks the words of a query in a subject or body as HTML. The text is escaped piece by piece and the
/// <c>&lt;mark&gt;</c> tags are added between escaped pieces, so nothing in a message can become markup.
/// Matching uses the index's own tokenizer: "muller" marks "Müller", "東京" marks the two characters of 東京.
/// </summary>
public static class SearchHighlighter
{
    /// <summary>The snippet's length in characters of text (before escaping), by default.</summary>
    public const int DefaultSnippetLength = 200;

    /// <summary>The whole of <paramref name="text"/>, escaped, with every matched term marked.</summary>
    public static string Highlight(string text, IReadOnlyCollection<string> terms) =>
        Render(text, 0, text.Length, Matches(text, terms));

    /// <summary>
    /// About <paramref name="length"/> characters of <paramref name="text"/> around its first match (its start when
    /// nothing matches), escaped, matches marked, with "…" where the text was cut.
    /// </summary>
    public static string Snippet(string text, IReadOnlyCollection<string> terms, int length = DefaultSnippetLength)
    {
        var collapsed = Collapse(text);
        var matches = Matches(collapsed, terms, length);
        var from = 0;
        if (matches.Count > 0 && matches[0].Start + matches[0].Length > length)
        {
            // Some context before the first match, starting at a word.
            from = Math.Max(0, matches[0].Start - (length / 4));
            while (from > 0 && from < matches[0].Start && !char.IsWhiteSpace(collapsed[from - 1]))
                from++;
        }

        var to = Math.Min(collapsed.Length, from + length);
        if (to < collapsed.Length)
        {
            // End at a word, unless that would cut back into the first match.
            var space = collapsed.LastIndexOf(' ', to - 1, to - from);
            if (space > from && (matches.Count == 0 || space >= matches[0].Start + matches[0].Length))
                to = space;
        }

        if (to > from && char.IsHighSurrogate(collapsed[to - 1]))
            to--;
        var html = new StringBuilder();
        if (from > 0)
            html.Append('…');
        html.Append(Render(collapsed, from, to, matches));
        if (to < collapsed.Length)
            html.Append('…');
        return html.ToString();
    }

    private static string Render(string text, int from, int to, List<(int Start, int Length)> matches)
    {
        var html = new StringBuilder();
        var at = from;
        foreach (var (start, length) in matches)
        {
            var end = Math.Min(start + length, to);
            if (end <= at)
                continue;
            if (start >= to)
                break;
            var s = Math.Max(start, at);
            html.Append(Escape(text[at..s]));
            html.Append("<mark>").Append(Escape(text[s..end])).Append("</mark>");
            at = end;
        }

        html.Append(Escape(text[at..to]));
        return html.ToString();
    }

    // Matched ranges in order, overlapping ones (the pairs of a CJK word) merged. With a snippet's length, only up to
    // that length past the first match (or past the start): a snippet shows nothing later, and tokenizing a long body
    // whole for each hit cost more than the search (a page of 50 hits on 20,000-character bodies: 48 ms).
    private static List<(int Start, int Length)> Matches(string text, IReadOnlyCollection<string> terms, int? window = null)
    {
        var merged = new List<(int Start, int Length)>();
        if (terms.Count == 0)
            return merged;
        var exact = new HashSet<string>(terms, StringComparer.Ordinal);
        var prefixes = terms.Where(SearchTokenizer.IsSingleCjk).ToList();
        foreach (var token in SearchTokenizer.Tokenize(text))
        {
            if (window is { } w && merged.Count > 0 && token.Start >= Math.Max(w, merged[0].Start + w))
                break;
            var hit = exact.Contains(token.Term) || (token.Alternate is { } alternate && exact.Contains(alternate))
                || prefixes.Exists(p => token.Term.StartsWith(p, StringComparison.Ordinal));
            if (!hit)
                continue;
            if (merged.Count > 0 && merged[^1].Start + merged[^1].Length >= token.Start)
            {
                var last = merged[^1];
                merged[^1] = (last.Start, Math.Max(last.Start + last.Length, token.Start + token.Length) - last.Start);
            }
            else
            {
                merged.Add((token.Start, token.Length));
            }
        }

        return merged;
    }

    // The five characters that matter in HTML text and attribute values; everything else stays as it is (readable in JSON).
    private static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0)
            return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => null,
            });
            if (c is not ('&' or '<' or '>' or '"' or '\''))
                escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static string Collapse(string text)
    {
        var collapsed = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = collapsed.Length > 0;
                continue;
            }

            if (space)
                collapsed.Append(' ');
            space = false;
            collapsed.Append(c);
        }

        return collapsed.ToString();
    }
}
