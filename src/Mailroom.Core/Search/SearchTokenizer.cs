using System.Globalization;
using System.Text;

namespace Mailroom.Core.Search;

/// <summary>
/// The one tokenizer both databases index with and every query is read with, so SQLite and PostgreSQL find exactly
/// the same messages. Words are runs of letters and digits, folded to lower case without diacritics (é → e, ü → u,
/// ß → ss); a word that had ä, ö, ü or ß also gets its German spelling (ae, oe, ue, ss) as an alternate. Scripts
/// written without spaces (Han, Hiragana, Katakana, Hangul) become overlapping pairs of characters, the CJK bigrams
/// of Lucene's CJKAnalyzer: a word of two or more characters is then found as the phrase of its pairs wherever it
/// stands. The database's own tokenizer only splits the result on spaces.
/// </summary>
public static class SearchTokenizer
{
    /// <summary>Longer runs (base64, hashes, URLs without separators) are noise and are not indexed.</summary>
    public const int MaxTermLength = 64;

    private static readonly System.Buffers.SearchValues<char> GermanLetters = System.Buffers.SearchValues.Create("äöüÄÖÜßẞ");

    /// <summary>The terms of <paramref name="text"/>, in order.</summary>
    public static IEnumerable<SearchToken> Tokenize(string? text)
    {
        if (string.IsNullOrEmpty(text))
            yield break;
        var i = 0;
        while (i < text.Length)
        {
            var kind = KindAt(text, i, out var width);
            if (kind == CharKind.Other)
            {
                i += width;
                continue;
            }

            var start = i;
            var end = i;
            while (end < text.Length && KindAt(text, end, out var w) == kind)
                end += w;
            if (kind == CharKind.Word)
            {
                if (Word(text, start, end) is { } token)
                    yield return token;
            }
            else
            {
                foreach (var token in Bigrams(text, start, end))
                    yield return token;
            }

            i = end;
        }
    }

    /// <summary>
    /// The text a database indexes for <paramref name="text"/>: its terms separated by spaces, then the alternate
    /// spellings (at the end, so that phrases of the text itself stay adjacent).
    /// </summary>
    public static string IndexText(string? text)
    {
        var terms = new StringBuilder();
        List<string>? alternates = null;
        foreach (var token in Tokenize(text))
        {
            if (terms.Length > 0)
                terms.Append(' ');
            terms.Append(token.Term);
            if (token.Alternate is { } alternate)
                (alternates ??= []).Add(alternate);
        }

        if (alternates is not null)
        {
            foreach (var alternate in alternates.Distinct(StringComparer.Ordinal))
                terms.Append(' ').Append(alternate);
        }

        return terms.ToString();
    }

    /// <summary>Lower case, compatibility-decomposed, without combining marks; ß, æ, œ, ø, ł, đ, þ spelled out.</summary>
    public static string Fold(string word)
    {
        // Most words are ASCII: lower-casing is all they need, without the cost of normalization.
        if (System.Text.Ascii.IsValid(word))
            return word.ToLowerInvariant();
        var decomposed = word.ToLowerInvariant().Normalize(NormalizationForm.FormKD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
                continue;
            switch (c)
            {
                case 'ß': folded.Append("ss"); break;
                case 'æ': folded.Append("ae"); break;
                case 'œ': folded.Append("oe"); break;
                case 'ø': folded.Append('o'); break;
                case 'ł': folded.Append('l'); break;
                case 'đ': folded.Append('d'); break;
                case 'þ': folded.Append("th"); break;
                default: folded.Append(c); break;
            }
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>Whether the term is one character of a script written without spaces (it can only be a prefix of a pair).</summary>
    public static bool IsSingleCjk(string term) =>
        term.Length <= 2 && KindAt(term, 0, out var width) == CharKind.Cjk && width == term.Length;

    private static SearchToken? Word(string text, int start, int end)
    {
        var source = text[start..end];
        var folded = Fold(source);
        if (folded.Length == 0 || folded.Length > MaxTermLength)
            return null;
        string? alternate = null;
        if (source.AsSpan().IndexOfAny(GermanLetters) >= 0)
        {
            var german = Fold(source.Replace("ä", "ae", StringComparison.Ordinal).Replace("ö", "oe", StringComparison.Ordinal)
                .Replace("ü", "ue", StringComparison.Ordinal).Replace("Ä", "Ae", StringComparison.Ordinal)
                .Replace("Ö", "Oe", StringComparison.Ordinal).Replace("Ü", "Ue", StringComparison.Ordinal));
            if (german != folded)
                alternate = german;
        }

        return new SearchToken(start, end - start, folded, alternate);
    }

    private static IEnumerable<SearchToken> Bigrams(string text, int start, int end)
    {
        // Offsets of each character (a character may be a surrogate pair).
        var offsets = new List<int>();
        for (var i = start; i < end;)
        {
            offsets.Add(i);
            KindAt(text, i, out var width);
            i += width;
        }

        offsets.Add(end);
        var count = offsets.Count - 1;
        if (count == 1)
        {
            yield return new SearchToken(start, end - start, CjkFold(text[start..end]), null);
            yield break;
        }

        for (var k = 0; k + 1 < count; k++)
        {
            var s = offsets[k];
            var e = offsets[k + 2];
            yield return new SearchToken(s, e - s, CjkFold(text[s..e]), null);
        }
    }

    // Width forms only (half-width katakana → full width): the voiced marks of kana change the word and stay.
    private static string CjkFold(string pair) => pair.Normalize(NormalizationForm.FormKC);

    private enum CharKind
    {
        Other,
        Word,
        Cjk,
    }

    private static CharKind KindAt(string text, int index, out int width)
    {
        var c = text[index];
        if (c < 0x80)
        {
            width = 1;
            return char.IsAsciiLetterOrDigit(c) ? CharKind.Word : CharKind.Other;
        }

        if (Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out width) != System.Buffers.OperationStatus.Done)
        {
            width = 1;
            return CharKind.Other;
        }

        if (IsCjk(rune.Value))
            return CharKind.Cjk;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark => CharKind.Word,
            _ => CharKind.Other,
        };
    }

    private static bool IsCjk(int c) =>
        c is >= 0x3040 and <= 0x30FF // Hiragana, Katakana
            or >= 0x3400 and <= 0x4DBF // CJK Extension A
            or >= 0x4E00 and <= 0x9FFF // CJK Unified Ideographs
            or >= 0xF900 and <= 0xFAFF // CJK Compatibility Ideographs
            or >= 0xFF66 and <= 0xFF9F // half-width Katakana
            or >= 0xAC00 and <= 0xD7AF // Hangul syllables
            or >= 0x1100 and <= 0x11FF // Hangul Jamo
            or >= 0x31F0 and <= 0x31FF // Katakana phonetic extensions
            or >= 0x20000 and <= 0x2FA1F; // CJK Extensions B+ and compatibility supplement
}
