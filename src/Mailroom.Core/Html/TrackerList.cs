using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Mailroom.Core.Html;

/// <summary>
/// Tracking hosts and e-mail tracker URL patterns read from the vendored EasyPrivacy list
/// (<c>Html/Trackers/easyprivacy.txt</c>, CC BY-SA; see the README beside it for where it came from).
/// </summary>
/// <remarks>
/// Only three rule shapes are used: <c>||host^</c> (a tracking host), <c>||host/path</c> (a tracking path on a host)
/// and the generic patterns of the e-mail trackers section. That is what matters for an image or a link in a
/// message; the list's cosmetic and page-script rules are about web pages.
/// </remarks>
public sealed class TrackerList
{
    private const string EmailSection = "easyprivacy_general_emailtrackers.txt";
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);
    private static readonly Lazy<TrackerList> EmbeddedList = new(LoadEmbedded);

    private readonly HashSet<string> _hosts;
    private readonly Dictionary<string, List<Regex>> _hostPaths;
    private readonly (string Literal, Regex Pattern)[] _emailPatterns;

    private TrackerList(HashSet<string> hosts, Dictionary<string, List<Regex>> hostPaths, (string, Regex)[] emailPatterns)
    {
        _hosts = hosts;
        _hostPaths = hostPaths;
        _emailPatterns = emailPatterns;
    }

    /// <summary>The list vendored with Mailroom, parsed once.</summary>
    public static TrackerList Default => EmbeddedList.Value;

    /// <summary>How many tracking hosts the list names.</summary>
    public int HostCount => _hosts.Count;

    /// <summary>Why <paramref name="url"/> is a known tracker ("tracking host x", "e-mail tracker pattern"), or null.</summary>
    public string? Match(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            return null;
        var host = url.IdnHost.TrimEnd('.').ToLowerInvariant();
        var rest = url.PathAndQuery;
        for (var suffix = host; suffix.Length > 0;)
        {
            if (_hosts.Contains(suffix))
                return $"tracking host {suffix} (EasyPrivacy)";
            if (_hostPaths.TryGetValue(suffix, out var paths))
            {
                foreach (var path in paths)
                {
                    if (path.IsMatch(rest))
                        return $"tracking path on {suffix} (EasyPrivacy)";
                }
            }
            var dot = suffix.IndexOf('.', StringComparison.Ordinal);
            suffix = dot < 0 ? "" : suffix[(dot + 1)..];
        }
        var lower = url.AbsoluteUri.ToLowerInvariant();
        foreach (var (literal, pattern) in _emailPatterns)
        {
            // The longest literal part of a pattern is a cheap filter; the regular expression decides.
            if (lower.Contains(literal, StringComparison.Ordinal) && pattern.IsMatch(lower))
                return "e-mail tracker URL pattern (EasyPrivacy)";
        }
        return null;
    }

    /// <summary>Parses a list in Adblock Plus syntax (exposed for tests).</summary>
    public static TrackerList Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var hosts = new HashSet<string>(StringComparer.Ordinal);
        var exceptions = new HashSet<string>(StringComparer.Ordinal);
        var hostPaths = new Dictionary<string, List<Regex>>(StringComparer.Ordinal);
        var emailPatterns = new List<(string, Regex)>();
        var inEmailSection = false;
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith('!'))
            {
                if (line.StartsWith("! *** ", StringComparison.Ordinal))
                    inEmailSection = line.Contains(EmailSection, StringComparison.Ordinal);
                continue;
            }
            if (line.Length == 0 || line.Contains("##", StringComparison.Ordinal) || line.Contains("#@#", StringComparison.Ordinal)
                || line.Contains("#?#", StringComparison.Ordinal) || line.Contains("#$#", StringComparison.Ordinal))
                continue;

            var pattern = line;
            var options = "";
            var dollar = line.LastIndexOf('$');
            if (dollar > 0 && !line.AsSpan(dollar).Contains('/'))
            {
                pattern = line[..dollar];
                options = line[(dollar + 1)..];
            }
            // Rules limited to some sites (domain=) say nothing about an e-mail.
            if (options.Contains("domain=", StringComparison.Ordinal) || options.Contains("from=", StringComparison.Ordinal))
                continue;

            var exception = pattern.StartsWith("@@", StringComparison.Ordinal);
            if (exception)
                pattern = pattern[2..];
            if (pattern.Length > 1 && pattern[0] == '/' && pattern[^1] == '/')
                continue; // regular expression rule

            if (pattern.StartsWith("||", StringComparison.Ordinal))
            {
                var body = pattern[2..].ToLowerInvariant();
                var end = body.IndexOfAny(['^', '/', '*', '?', ':']);
                var host = end < 0 ? body : body[..end];
                if (host.Length == 0 || host.Contains('*'))
                    continue;
                var tail = end < 0 ? "" : body[end..];
                if (tail is "" or "^" || tail == "^|")
                {
                    (exception ? exceptions : hosts).Add(host);
                }
                else if (!exception && tail[0] == '/')
                {
                    if (!hostPaths.TryGetValue(host, out var list))
                        hostPaths[host] = list = [];
                    list.Add(new Regex("^" + ToRegex(tail), RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, MatchTimeout));
                }
                continue;
            }
            if (!exception && inEmailSection && pattern.Length >= 4)
            {
                var lower = pattern.ToLowerInvariant().TrimStart('|');
                var literal = lower.Split('*', '^', '|').MaxBy(p => p.Length)!;
                if (literal.Length >= 3)
                    emailPatterns.Add((literal, new Regex(ToRegex(lower), RegexOptions.CultureInvariant, MatchTimeout)));
            }
        }
        hosts.ExceptWith(exceptions);
        return new TrackerList(hosts, hostPaths, [.. emailPatterns]);
    }

    // Adblock Plus wildcards: '*' is any run of characters, '^' a separator (anything but a letter, digit or _-.%) or the end.
    private static string ToRegex(string pattern)
    {
        var sb = new StringBuilder(pattern.Length + 16);
        foreach (var c in pattern)
        {
            switch (c)
            {
                case '*': sb.Append(".*"); break;
                case '^': sb.Append(@"(?:[^\w\-.%]|$)"); break;
                case '|': break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return sb.ToString();
    }

    private static TrackerList LoadEmbedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Mailroom.Core.Html.Trackers.easyprivacy.txt")
            ?? throw new InvalidOperationException("The EasyPrivacy list is not embedded in Mailroom.Core.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader);
    }
}
