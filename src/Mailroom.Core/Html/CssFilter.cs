using System.Text.RegularExpressions;
using AngleSharp.Css.Dom;
using AngleSharp;
using AngleSharp.Dom;

namespace Mailroom.Core.Html;

/// <summary>
/// The email policy's CSS rules, applied to a style attribute that HtmlSanitizer has already parsed and
/// re-serialized: no declaration that fetches (every <c>url()</c> except message-internal and data images, which are
/// rewritten; <c>image-set()</c>, <c>image()</c>, <c>cross-fade()</c>, <c>element()</c>, <c>src()</c> always), no
/// script (<c>expression</c>, <c>javascript:</c>, <c>behavior</c>, <c>-moz-binding</c>) and no fixed-position overlay.
/// </summary>
internal static partial class CssFilter
{
    [GeneratedRegex("""url\(\s*"((?:[^"\\]|\\.)*)"\s*\)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuotedUrl();

    [GeneratedRegex(@"(?:image-set|image|cross-fade|element|src|paint|expression)\s*\(|javascript:|vbscript:|behavior|binding|@import|\\", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Dangerous();

    /// <summary>Rewrites or removes declarations of <paramref name="element"/>'s style; <paramref name="rewriteUrl"/> returns the URL to use or null to drop the declaration.</summary>
    public static void Apply(IElement element, Func<string, string, string?> rewriteUrl, PrivacyReport report, IStyleFormatter formatter)
    {
        var style = element.GetStyle();
        var changed = false;
        foreach (var property in style.ToArray())
        {
            var name = property.Name;
            var value = property.Value ?? "";
            string? reason = null;
            string? newValue = null;
            if (name is "position" && value.Contains("fixed", StringComparison.OrdinalIgnoreCase))
                reason = "fixed position (overlay)";
            else if (name.Contains("behavior", StringComparison.OrdinalIgnoreCase) || name.Contains("binding", StringComparison.OrdinalIgnoreCase))
                reason = "script-bearing property";
            else if (value.Contains("url(", StringComparison.OrdinalIgnoreCase))
            {
                newValue = RewriteUrls(name, value, rewriteUrl, out reason);
            }
            if (reason is null && Dangerous().IsMatch(newValue ?? value))
                reason = "fetching or script-bearing value";

            if (reason is not null)
            {
                style.RemoveProperty(name);
                changed = true;
                if (reason != "remote")
                    report.Add(PrivacyFindingKind.CssRemoved, $"CSS {name}: {reason}");
            }
            else if (newValue is not null && newValue != value)
            {
                style.SetProperty(name, newValue, property.IsImportant ? "important" : null);
                // A value the CSS parser does not accept back is dropped rather than kept half-rewritten.
                if (string.IsNullOrEmpty(style.GetPropertyValue(name)))
                    report.Add(PrivacyFindingKind.CssRemoved, $"CSS {name}: value not accepted after rewriting");
                changed = true;
            }
        }
        if (!changed)
            return;
        var css = style.ToCss(formatter);
        if (string.IsNullOrWhiteSpace(css))
            element.RemoveAttribute("style");
        else
            element.SetAttribute("style", css);
    }

    private static string? RewriteUrls(string property, string value, Func<string, string, string?> rewriteUrl, out string? reason)
    {
        string? failure = null;
        var rewritten = QuotedUrl().Replace(value, m =>
        {
            var url = Regex.Unescape(m.Groups[1].Value);
            var target = rewriteUrl(property, url);
            if (target is null)
            {
                failure ??= "remote";
                return m.Value;
            }
            return "url(\"" + target.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\")";
        });
        // Anything still shaped like url( but not in the serializer's quoted form is not understood: drop it.
        if (failure is null && QuotedUrl().Replace(rewritten, "").Contains("url(", StringComparison.OrdinalIgnoreCase))
            failure = "unrecognised url()";
        reason = failure;
        return rewritten;
    }
}
