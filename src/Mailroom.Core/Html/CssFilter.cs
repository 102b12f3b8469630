using System.Globalization;
using System.Text;
using AngleSharp.Dom;

namespace Mailroom.Core.Html;

/// <summary>
/// The email policy's CSS rules, applied to a style attribute that HtmlSanitizer has already parsed and
/// re-serialized. Each declaration's value (custom properties included) is tokenized (<see cref="CssTokenizer"/>) and
/// every token is looked at, at any depth: inside <c>var()</c> fallbacks, <c>calc()</c> or any other function. Every
/// <c>url()</c> (and <c>src()</c>) is resolved like an image's src (the message's own parts, data images, the image
/// proxy) or, blocked, replaced by <c>none</c> (so a background keeps its color); functions that fetch images of their own (<c>image-set()</c>, <c>image()</c>,
/// <c>cross-fade()</c>, <c>element()</c>, <c>paint()</c>, with or without a vendor prefix) and script
/// (<c>expression()</c>, <c>javascript:</c>, <c>behavior</c>, <c>-moz-binding</c>) drop it; so does a fixed-position
/// overlay. The value written back is built from the tokens, with each URL written as an escaped CSS string.
/// </summary>
internal static class CssFilter
{
    private static readonly HashSet<string> FetchingFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "image-set", "image", "cross-fade", "element", "paint", "expression",
    };

    /// <summary>
    /// Rewrites or removes the declarations of <paramref name="element"/>'s style attribute, working on the attribute's
    /// text as HtmlSanitizer left it (the text the browser will read; a parsed style object would hide what a
    /// shorthand holding <c>var()</c> serializes back to) and writing the attribute from the checked tokens.
    /// </summary>
    /// <param name="rewriteUrl">(property, URL) → the URL to use, or null to block it (written as <c>none</c>).</param>
    public static void Apply(IElement element, Func<string, string, string?> rewriteUrl, PrivacyReport report)
    {
        var text = element.GetAttribute("style") ?? "";
        var kept = new List<string>();
        foreach (var declaration in Declarations(CssTokenizer.Tokenize(text)))
        {
            if (Declaration(declaration, rewriteUrl, out var name, out var reason) is { } css)
            {
                kept.Add(css);
            }
            else if (reason is not null)
            {
                report.Add(PrivacyFindingKind.CssRemoved, $"CSS {name}: {reason}");
            }
        }

        if (kept.Count == 0)
            element.RemoveAttribute("style");
        else
            element.SetAttribute("style", string.Join("; ", kept));
    }

    /// <summary>One declaration written back ("name: value"), or null with the reason it goes (null reason: it was empty).</summary>
    private static string? Declaration(List<CssToken> tokens, Func<string, string, string?> rewriteUrl, out string name, out string? reason)
    {
        name = "";
        reason = null;
        var colon = tokens.FindIndex(t => t.Kind == CssTokenKind.Delimiter && t.Raw == ":");
        var nameTokens = (colon < 0 ? tokens : tokens[..colon]).Where(t => t.Kind != CssTokenKind.Whitespace).ToList();
        if (nameTokens.Count == 0 && colon < 0)
            return null;
        if (colon < 0 || nameTokens.Count != 1 || nameTokens[0].Kind != CssTokenKind.Ident)
        {
            name = string.Concat(tokens.Select(t => t.Raw)).Trim();
            reason = "not a declaration";
            return null;
        }

        name = nameTokens[0].Value.ToLowerInvariant();
        var value = string.Concat(tokens.Skip(colon + 1).Select(t => t.Raw)).Trim();
        if (name is "position" && value.Contains("fixed", StringComparison.OrdinalIgnoreCase))
            reason = "fixed position (overlay)";
        else if (name.Contains("behavior", StringComparison.Ordinal) || name.Contains("binding", StringComparison.Ordinal))
            reason = "script-bearing property";
        if (reason is not null)
            return null;
        var rewritten = Rewrite(name, value, rewriteUrl, out reason);
        return rewritten is null ? null : EscapeName(name) + ": " + rewritten.Trim();
    }

    /// <summary>The tokens of each declaration: split at the semicolons outside any function or bracket.</summary>
    private static IEnumerable<List<CssToken>> Declarations(List<CssToken> tokens)
    {
        var current = new List<CssToken>();
        var depth = 0;
        foreach (var token in tokens)
        {
            if (token.Kind == CssTokenKind.Function || (token.Kind == CssTokenKind.Delimiter && token.Raw is "(" or "[" or "{"))
                depth++;
            else if (token.Kind == CssTokenKind.Delimiter && token.Raw is ")" or "]" or "}")
                depth = Math.Max(0, depth - 1);
            if (depth == 0 && token.Kind == CssTokenKind.Delimiter && token.Raw == ";")
            {
                yield return current;
                current = [];
                continue;
            }

            current.Add(token);
        }

        yield return current;
    }

    /// <summary>The value with its URLs rewritten, or null with <paramref name="reason"/> set when the declaration must go.</summary>
    internal static string? Rewrite(string property, string value, Func<string, string, string?> rewriteUrl, out string? reason)
    {
        reason = null;
        var tokens = CssTokenizer.Tokenize(value);
        var output = new StringBuilder(value.Length);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            switch (token.Kind)
            {
                case CssTokenKind.BadUrl or CssTokenKind.BadString:
                    reason = "unrecognised url() or string";
                    return null;
                case CssTokenKind.Url:
                    AppendUrl(output, property, token.Value, rewriteUrl);
                    continue;
                case CssTokenKind.Function when token.Value.Equals("url", StringComparison.OrdinalIgnoreCase) || token.Value.Equals("src", StringComparison.OrdinalIgnoreCase):
                {
                    // url("...") and src("..."): exactly one string, then ")". Anything else (url(var(--x))) is not understood.
                    var j = Skip(tokens, i + 1);
                    var close = j < tokens.Count && tokens[j].Kind == CssTokenKind.String ? Skip(tokens, j + 1) : -1;
                    if (close < 0 || close >= tokens.Count || tokens[close].Raw != ")")
                    {
                        reason = "unrecognised url()";
                        return null;
                    }

                    AppendUrl(output, property, tokens[j].Value, rewriteUrl);
                    i = close;
                    continue;
                }

                case CssTokenKind.Function when FetchingFunctions.Contains(WithoutVendorPrefix(token.Value)):
                    reason = "fetching or script-bearing value";
                    return null;
                case CssTokenKind.Ident or CssTokenKind.String or CssTokenKind.Function
                    when token.Value.Contains("javascript:", StringComparison.OrdinalIgnoreCase)
                        || token.Value.Contains("vbscript:", StringComparison.OrdinalIgnoreCase):
                    reason = "fetching or script-bearing value";
                    return null;
                case CssTokenKind.Delimiter when token.Raw is "@" or "\\":
                    reason = "fetching or script-bearing value";
                    return null;
                default:
                    // Names are written back decoded: what was escaped to hide it is now plain for the next reader.
                    output.Append(token.Kind switch
                    {
                        CssTokenKind.Ident => EscapeName(token.Value),
                        CssTokenKind.Function => EscapeName(token.Value) + "(",
                        CssTokenKind.String => Quote(token.Value),
                        _ => token.Raw,
                    });
                    break;
            }
        }

        return output.ToString();
    }

    // A URL that may not be fetched becomes "none": the declaration keeps the rest (a background's color) and fetches nothing.
    private static void AppendUrl(StringBuilder output, string property, string url, Func<string, string, string?> rewriteUrl)
    {
        if (rewriteUrl(property, url) is { } target)
            output.Append("url(").Append(Quote(target)).Append(')');
        else
            output.Append("none");
    }

    private static int Skip(List<CssToken> tokens, int i)
    {
        while (i < tokens.Count && tokens[i].Kind == CssTokenKind.Whitespace)
            i++;
        return i;
    }

    private static string WithoutVendorPrefix(string name)
    {
        if (name.Length > 1 && name[0] == '-' && name[1] != '-')
        {
            var dash = name.IndexOf('-', 1);
            if (dash > 0)
                return name[(dash + 1)..];
        }

        return name;
    }

    /// <summary>A CSS string in double quotes: backslash, quote and control characters escaped (CSSOM "serialize a string").</summary>
    internal static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
                builder.Append('\\').Append(c);
            else if (char.IsControl(c))
                builder.Append('\\').Append(((int)c).ToString("x", CultureInfo.InvariantCulture)).Append(' ');
            else
                builder.Append(c);
        }

        return builder.Append('"').ToString();
    }

    // Identifiers as CSSOM serializes them, enough for names the tokenizer produced: anything not a name character escaped.
    private static string EscapeName(string name)
    {
        var builder = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsAsciiLetter(c) || c == '_' || c == '-' || c >= 0x80 || (char.IsAsciiDigit(c) && i > 0 && !(i == 1 && name[0] == '-')))
                builder.Append(c);
            else if (char.IsControl(c) || char.IsAsciiDigit(c))
                builder.Append('\\').Append(((int)c).ToString("x", CultureInfo.InvariantCulture)).Append(' ');
            else
                builder.Append('\\').Append(c);
        }

        return builder.ToString();
    }
}
