using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Mailroom.Core.Search;

/// <summary>
/// Reads the query language of docs/search.md: words, "quoted phrases" and field:value filters, all of which must
/// match. A query that cannot be read gets an error message that says what is wrong and where, for a 400 answer.
/// </summary>
public static class SearchQueryParser
{
    /// <summary>Longer queries are refused: a person never types one, and each term costs the database a lookup.</summary>
    public const int MaxLength = 1000;

    /// <summary>At most this many words and phrases.</summary>
    public const int MaxTerms = 32;

    private static readonly string[] Fields = ["from", "to", "subject", "has", "before", "after", "in", "mailbox", "contact"];

    /// <summary>The parsed query, or false with a message for the person who wrote it.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SearchQuery? query, [NotNullWhen(false)] out string? error)
    {
        query = null;
        error = Parse(text ?? "", out var parsed);
        if (error is not null)
            return false;
        query = parsed!;
        return true;
    }

    private static string? Parse(string text, out SearchQuery? query)
    {
        query = null;
        if (text.Length > MaxLength)
            return $"The query is {text.Length} characters long; at most {MaxLength} are allowed.";

        var terms = new List<SearchTerm>();
        var hasAttachment = false;
        DateTimeOffset? after = null, before = null;
        string? folder = null, mailbox = null, contact = null;
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
                i++;
            if (i >= text.Length)
                break;

            var start = i;
            string? field = null;
            var colon = FieldEnd(text, i);
            if (colon > i)
            {
                field = text[i..colon].ToLowerInvariant();
                if (!Fields.Contains(field))
                    return $"Unknown field '{text[i..colon]}:' at position {i + 1}. Known fields: {string.Join(", ", Fields.Select(f => f + ":"))}.";
                i = colon + 1;
            }

            string value;
            bool quoted;
            if (i < text.Length && text[i] == '"')
            {
                var close = text.IndexOf('"', i + 1);
                if (close < 0)
                    return $"Unbalanced quote: the phrase that starts at position {i + 1} has no closing \".";
                value = text[(i + 1)..close];
                quoted = true;
                i = close + 1;
            }
            else
            {
                var end = i;
                while (end < text.Length && !char.IsWhiteSpace(text[end]))
                {
                    if (text[end] == '"')
                        return $"Unexpected quote at position {end + 1}: a phrase starts with \" at the beginning of a word or after field:.";
                    end++;
                }

                value = text[i..end];
                quoted = false;
                i = end;
            }

            if (field is not null && value.Trim().Length == 0)
                return $"'{field}:' at position {start + 1} needs a value.";

            switch (field)
            {
                case null:
                case "from":
                case "to":
                case "subject":
                    if (Term(field, value) is { } term)
                    {
                        if (terms.Count == MaxTerms)
                            return $"The query has more than {MaxTerms} words and phrases.";
                        terms.Add(term);
                    }
                    else if (field is not null)
                    {
                        return $"'{field}:{value}' at position {start + 1} has no letters or digits to search for.";
                    }
                    break;
                case "has":
                    if (!value.Equals("attachment", StringComparison.OrdinalIgnoreCase) && !value.Equals("attachments", StringComparison.OrdinalIgnoreCase))
                        return $"has:{value} at position {start + 1} is not supported; the only one is has:attachment.";
                    hasAttachment = true;
                    break;
                case "before":
                case "after":
                    if (!TryDate(value, out var date))
                        return $"{field}:{value} at position {start + 1} is not a date; write it as YYYY-MM-DD (for example {field}:2026-03-31).";
                    if (field == "before")
                        before = before is { } b && b < date ? b : date;
                    else
                        after = after is { } a && a > date ? a : date;
                    break;
                case "in":
                    if (folder is not null && folder != value)
                        return $"in: may be given once (at position {start + 1} it is given again).";
                    folder = value;
                    break;
                case "mailbox":
                    if (mailbox is not null && mailbox != value)
                        return $"mailbox: may be given once (at position {start + 1} it is given again).";
                    mailbox = value;
                    break;
                case "contact":
                    if (contact is not null && contact != value)
                        return $"contact: may be given once (at position {start + 1} it is given again).";
                    contact = value;
                    break;
            }

            if (quoted && i < text.Length && !char.IsWhiteSpace(text[i]))
                return $"Expected a space after the closing quote at position {i}.";
        }

        if (terms.Count == 0 && !hasAttachment && after is null && before is null && folder is null && mailbox is null && contact is null)
            return "The query has nothing to search for: give a word, a \"phrase\" or a filter such as from:, in: or has:attachment.";

        query = new SearchQuery(terms, hasAttachment, after, before, folder, mailbox, contact);
        return null;
    }

    // The end of a field name (the colon's index) when the text at i is "name:"; -1 otherwise. Only ASCII letters make
    // a field name, so "10:30" and "ftp://x" stay words.
    private static int FieldEnd(string text, int i)
    {
        var j = i;
        while (j < text.Length && char.IsAsciiLetter(text[j]))
            j++;
        if (j == i || j >= text.Length || text[j] != ':')
            return -1;
        // "http://": a URL, not a field.
        if (j + 1 < text.Length && text[j + 1] == '/')
            return -1;
        return j;
    }

    private static SearchTerm? Term(string? field, string value)
    {
        var tokens = SearchTokenizer.Tokenize(value).Select(t => t.Term).ToList();
        if (tokens.Count == 0)
            return null;
        var kind = field switch
        {
            "from" => SearchField.From,
            "to" => SearchField.To,
            "subject" => SearchField.Subject,
            _ => SearchField.Any,
        };
        return new SearchTerm(kind, tokens, SearchTokenizer.IsSingleCjk(tokens[^1]));
    }

    private static bool TryDate(string value, out DateTimeOffset date)
    {
        string[] formats = ["yyyy-MM-dd", "yyyy/MM/dd", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];
        if (DateTimeOffset.TryParseExact(
            value, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date))
            return true;
        date = default;
        return false;
    }
}
