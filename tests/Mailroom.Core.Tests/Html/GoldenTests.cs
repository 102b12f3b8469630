using AngleSharp.Html.Parser;
using Mailroom.Core.Html;
using Mailroom.Core.Messages;

namespace Mailroom.Core.Tests.Html;

/// <summary>
/// Ordinary mail keeps its layout. Golden files: <c>Golden/X.html</c> → <c>Golden/X.expected.html</c> (the view document)
/// and <c>X.expected.report.txt</c>; MAILROOM_UPDATE_GOLDEN=1 rewrites them, a missing baseline fails. And every HTML
/// part of ../shared/corpus keeps its text and its layout elements.
/// </summary>
public sealed class GoldenTests
{
    private static readonly string[] LayoutTags = ["table", "tr", "td", "th", "p", "a", "li", "ul", "ol", "h1", "h2", "h3", "b", "strong", "i", "em", "br", "img", "font", "center", "blockquote", "pre", "hr"];

    public static TheoryData<string> Cases() => [.. Directory.GetFiles(GoldenDir, "*.html").Where(f => !f.EndsWith(".expected.html", StringComparison.Ordinal)).Select(f => Path.GetFileNameWithoutExtension(f)!).Order()];

    private static string GoldenDir => Path.Combine(AppContext.BaseDirectory, "Html", "Golden");
    private static string SourceGoldenDir => Path.Combine(
        typeof(GoldenTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "Mailroom.Tests.ProjectDirectory").Value!, "Html", "Golden");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Golden_view(string name)
    {
        var html = File.ReadAllText(Path.Combine(GoldenDir, name + ".html"));
        var view = new EmailHtmlSanitizer().SanitizeForView(html, new HtmlRenderContext
        {
            ResolveContentId = id => id == "logo@acme.example" ? "/view/messages/1/inline/1" : null,
        });
        var report = string.Join("\n", view.Report.Findings.Select(f => $"{f.Kind}: {f.What}{(f.Url is null ? "" : " <" + f.Url + ">")}")) + "\n";
        Compare(name + ".expected.html", view.Html);
        Compare(name + ".expected.report.txt", report);
        AssertLayoutKept(html, view, name);
    }

    private static void Compare(string file, string actual)
    {
        if (Environment.GetEnvironmentVariable("MAILROOM_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(SourceGoldenDir, file), actual);
            return;
        }
        var path = Path.Combine(GoldenDir, file);
        Assert.True(File.Exists(path), $"missing baseline {file}: run with MAILROOM_UPDATE_GOLDEN=1 and review it");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Corpus_html_parts_keep_their_text_and_layout()
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "..", "shared", "corpus", "messages"));
        if (Environment.GetEnvironmentVariable("MAILROOM_CORPUS") is { Length: > 0 } configured)
            root = Path.Combine(configured, "messages");
        if (!Directory.Exists(root))
            Assert.Skip($"{root} not found: the corpus layout test did not run (the shared corpus is absent).");
        var sanitizer = new EmailHtmlSanitizer();
        var checkedParts = 0;
        var problems = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            NormalizedMessage message;
            try { message = MessageNormalizer.Normalize(File.ReadAllBytes(file)); }
            catch (FormatException) { continue; }
            if (message.HtmlBody is not { Length: > 0 } html)
                continue;
            checkedParts++;
            var view = sanitizer.SanitizeForView(html, new HtmlRenderContext { ResolveContentId = _ => "/view/messages/1/inline/0" });
            try { AssertLayoutKept(html, view, file); }
            catch (Xunit.Sdk.XunitException e) { problems.Add(e.Message); }
        }
        Assert.True(checkedParts >= 20, $"only {checkedParts} HTML parts under {root}");
        Assert.True(problems.Count == 0, $"{problems.Count} of {checkedParts} HTML parts changed:\n" + string.Join("\n", problems));
    }

    // The text a reader sees is the same, and every layout element is still there (nothing the policy keeps was lost).
    private static void AssertLayoutKept(string original, SafeHtml view, string name)
    {
        var sanitized = view.Html;
        // Link targets are compared by the link tests; here only what a reader sees.
        static string Text(string html) => System.Text.RegularExpressions.Regex.Replace(HtmlToText.Convert(html), @" <[^>\s]+>", "");
        var textBefore = Text(original);
        var textAfter = Text(sanitized);
        Assert.True(textBefore == textAfter, $"{name}: text changed\n--- before\n{textBefore}\n--- after\n{textAfter}");
        var parser = new HtmlParser();
        using var before = parser.ParseDocument(original);
        using var after = parser.ParseDocument(sanitized);
        foreach (var tag in LayoutTags)
        {
            var expected = before.Body?.QuerySelectorAll(tag).Count(e => e.Closest("svg, math, template, noscript, form, object, iframe, select, button, textarea, style, script") is null) ?? 0;
            var actual = after.Body?.QuerySelectorAll(tag).Length ?? 0;
            if (tag == "img")
                actual += view.Report.TrackingPixels; // removed pixels are not layout
            Assert.True(actual >= expected, $"{name}: <{tag}> {expected} before, {actual} after");
        }
    }
}
