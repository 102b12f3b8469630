using System.Globalization;
using System.Text;

namespace Mailroom.Core.Html;

/// <summary>The kinds of <see cref="CssToken"/> the filter tells apart.</summary>
internal enum CssTokenKind
{
    Whitespace,
    Ident,
    Function,
    String,
    BadString,
    Url,
    BadUrl,
    Delimiter,
}

/// <summary>A token: its kind, its value with escapes resolved (a name, a string's or URL's content) and its source text.</summary>
internal readonly record struct CssToken(CssTokenKind Kind, string Value, string Raw);

/// <summary>
/// Tokenization of a CSS value as CSS Syntax Level 3 §4 defines it, for the parts that decide what a browser fetches:
/// escapes in names, strings and URLs (<c>u\72 l(</c> is <c>url(</c>), quoted and unquoted <c>url(</c>, function
/// names, comments. Everything else comes out one character at a time, so that joining the raw texts gives the value
/// back, each comment as a single space. AngleSharp.Css has such a tokenizer, but internal; this one follows the same specification.
/// </summary>
internal static class CssTokenizer
{
    public static List<CssToken> Tokenize(string css)
    {
        var tokens = new List<CssToken>();
        var i = 0;
        while (i < css.Length)
        {
            var start = i;
            var c = css[i];
            if (c == '/' && i + 1 < css.Length && css[i + 1] == '*')
            {
                var end = css.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? css.Length : end + 2;
                tokens.Add(new CssToken(CssTokenKind.Whitespace, " ", " ")); // a comment separates like whitespace
            }
            else if (IsWhitespace(c))
            {
                while (i < css.Length && IsWhitespace(css[i]))
                    i++;
                tokens.Add(new CssToken(CssTokenKind.Whitespace, " ", css[start..i]));
            }
            else if (c is '"' or '\'')
            {
                var bad = !ReadString(css, ref i, out var value);
                tokens.Add(new CssToken(bad ? CssTokenKind.BadString : CssTokenKind.String, value, css[start..i]));
            }
            else if (StartsIdent(css, i))
            {
                var name = ReadName(css, ref i);
                if (i < css.Length && css[i] == '(')
                {
                    i++;
                    if (name.Equals("url", StringComparison.OrdinalIgnoreCase))
                    {
                        var j = i;
                        while (j < css.Length && IsWhitespace(css[j]))
                            j++;
                        if (j >= css.Length || css[j] is not ('"' or '\''))
                        {
                            var ok = ReadUrl(css, ref i, out var url);
                            tokens.Add(new CssToken(ok ? CssTokenKind.Url : CssTokenKind.BadUrl, url, css[start..i]));
                            continue;
                        }
                    }

                    tokens.Add(new CssToken(CssTokenKind.Function, name, css[start..i]));
                }
                else
                {
                    tokens.Add(new CssToken(CssTokenKind.Ident, name, css[start..i]));
                }
            }
            else
            {
                i++;
                tokens.Add(new CssToken(CssTokenKind.Delimiter, c.ToString(), css[start..i]));
            }
        }

        return tokens;
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= 0x80;

    private static bool IsName(char c) => IsNameStart(c) || char.IsAsciiDigit(c) || c == '-';

    private static bool IsValidEscape(string css, int i) => i + 1 < css.Length && css[i] == '\\' && css[i + 1] is not ('\n' or '\r' or '\f');

    // §4.3.9: would these characters start an identifier?
    private static bool StartsIdent(string css, int i)
    {
        var c = css[i];
        if (c == '-')
            return i + 1 < css.Length && (IsNameStart(css[i + 1]) || css[i + 1] == '-' || IsValidEscape(css, i + 1));
        return IsNameStart(c) || IsValidEscape(css, i);
    }

    private static string ReadName(string css, ref int i)
    {
        var builder = new StringBuilder();
        while (i < css.Length)
        {
            if (IsName(css[i]))
                builder.Append(css[i++]);
            else if (IsValidEscape(css, i))
                ReadEscape(css, ref i, builder);
            else
                break;
        }

        return builder.ToString();
    }

    // §4.3.7, with i on the backslash.
    private static void ReadEscape(string css, ref int i, StringBuilder builder)
    {
        i++;
        if (i >= css.Length)
        {
            builder.Append('\uFFFD');
            return;
        }

        if (!char.IsAsciiHexDigit(css[i]))
        {
            builder.Append(css[i++]);
            return;
        }

        var start = i;
        while (i < css.Length && i - start < 6 && char.IsAsciiHexDigit(css[i]))
            i++;
        var code = int.Parse(css.AsSpan(start, i - start), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (i < css.Length && IsWhitespace(css[i]))
            i += css[i] == '\r' && i + 1 < css.Length && css[i + 1] == '\n' ? 2 : 1;
        builder.Append(code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF) ? "\uFFFD" : char.ConvertFromUtf32(code));
    }

    // §4.3.5: false for a bad string (an unescaped line break).
    private static bool ReadString(string css, ref int i, out string value)
    {
        var quote = css[i++];
        var builder = new StringBuilder();
        while (i < css.Length)
        {
            var c = css[i];
            if (c == quote)
            {
                i++;
                break;
            }

            if (c is '\n' or '\r' or '\f')
            {
                value = builder.ToString();
                return false;
            }

            if (c == '\\')
            {
                if (i + 1 >= css.Length)
                {
                    i++;
                    continue;
                }

                if (css[i + 1] is '\n' or '\r' or '\f')
                {
                    i += css[i + 1] == '\r' && i + 2 < css.Length && css[i + 2] == '\n' ? 3 : 2;
                    continue;
                }

                ReadEscape(css, ref i, builder);
                continue;
            }

            builder.Append(c);
            i++;
        }

        value = builder.ToString();
        return true;
    }

    // §4.3.6, with i after "url(": false for a bad URL.
    private static bool ReadUrl(string css, ref int i, out string value)
    {
        var builder = new StringBuilder();
        while (i < css.Length && IsWhitespace(css[i]))
            i++;
        var ok = true;
        while (i < css.Length)
        {
            var c = css[i];
            if (c == ')')
            {
                i++;
                value = builder.ToString();
                return ok;
            }

            if (IsWhitespace(c))
            {
                while (i < css.Length && IsWhitespace(css[i]))
                    i++;
                if (i < css.Length && css[i] != ')')
                    ok = false;
                continue;
            }

            if (c is '"' or '\'' or '(' || char.IsControl(c) || (c == '\\' && !IsValidEscape(css, i)))
            {
                ok = false;
                i++;
                continue;
            }

            if (c == '\\')
            {
                ReadEscape(css, ref i, builder);
                continue;
            }

            builder.Append(c);
            i++;
        }

        value = builder.ToString();
        return ok; // end of input closes the URL (a parse error, but the browser still fetches it)
    }
}
