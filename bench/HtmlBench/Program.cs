using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ganss.Xss;
using Mailroom.Core.Html;
using Mailroom.Core.Messages;

// Sanitizing throughput over the HTML parts of a corpus of .eml files: Mailroom's email policy (remote content
// blocked, and proxied) against HtmlSanitizer's default policy, in the same process and run, interleaved rounds.
var root = args.Length > 0 ? args[0] : "../shared/corpus";
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
if (!Directory.Exists(root))
{
    Console.Error.WriteLine($"corpus not found: {root}");
    return 3;
}

var htmls = new List<string>();
foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
{
    if (!file.EndsWith(".eml", StringComparison.OrdinalIgnoreCase) && !file.Contains("/messages/", StringComparison.Ordinal))
        continue;
    try
    {
        if (MessageNormalizer.Normalize(File.ReadAllBytes(file)).HtmlBody is { Length: > 0 } html)
            htmls.Add(html);
    }
    catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or IOException)
    {
        // not a message
    }
}
var bytes = htmls.Sum(h => (long)Encoding.UTF8.GetByteCount(h));
Console.WriteLine($"corpus: {root}: {htmls.Count} HTML parts, {bytes / 1024.0 / 1024.0:0.00} MB (UTF-8)");

var mailroom = new EmailHtmlSanitizer();
var block = new HtmlRenderContext { ResolveContentId = id => "/view/messages/0/inline/0" };
var proxy = new HtmlRenderContext { RemoteContent = RemoteContentMode.Proxy, ProxyUrl = u => "/view/proxy?u=" + u.Host, ResolveContentId = id => "/view/messages/0/inline/0" };
var defaultSanitizer = new HtmlSanitizer();

var candidates = new (string Name, Action<string> Run)[]
{
    ("HtmlSanitizer default policy (Sanitize)", h => defaultSanitizer.Sanitize(h)),
    ("HtmlSanitizer default policy, new instance per message", h => new HtmlSanitizer().Sanitize(h)),
    ("Mailroom email policy, remote blocked (full view document)", h => mailroom.SanitizeForView(h, block)),
    ("Mailroom email policy, remote via proxy (full view document)", h => mailroom.SanitizeForView(h, proxy)),
};
_ = TrackerList.Default; // parse the tracker list outside the timings (once per process)
foreach (var (_, run) in candidates)
    foreach (var h in htmls.Take(20))
        run(h); // warm-up

var times = candidates.ToDictionary(c => c.Name, _ => new List<double>());
for (var round = 0; round < rounds; round++)
{
    foreach (var (name, run) in candidates)
    {
        var sw = Stopwatch.StartNew();
        foreach (var h in htmls)
            run(h);
        times[name].Add(sw.Elapsed.TotalSeconds);
    }
}
Console.WriteLine($"{rounds} rounds, median seconds per pass and MB/s:");
foreach (var (name, list) in times)
{
    var median = list.Order().ElementAt(list.Count / 2);
    Console.WriteLine($"  {name,-62} {median,7:0.000} s  {bytes / 1024.0 / 1024.0 / median,7:0.00} MB/s");
}
return 0;
