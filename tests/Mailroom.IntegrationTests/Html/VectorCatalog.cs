using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Mailroom.IntegrationTests.Html;

/// <summary>The XSS and privacy vectors of <c>Html/Vectors/*.txt</c> (format in the README there).</summary>
public static partial class VectorCatalog
{
    public sealed record Vector(string Source, string Title, string Payload)
    {
        public override string ToString() => $"{Source}: {Title}";
    }

    private static readonly Lazy<IReadOnlyList<Vector>> AllVectors = new(Load);

    public static IReadOnlyList<Vector> All => AllVectors.Value;

    /// <summary>For [MemberData]: source and title identify a vector (its payload is looked up, so test names stay short).</summary>
    public static TheoryData<string, string> Keys()
    {
        var data = new TheoryData<string, string>();
        foreach (var v in All)
            data.Add(v.Source, v.Title);
        return data;
    }

    public static Vector Find(string source, string title) => All.First(v => v.Source == source && v.Title == title);

    /// <summary>Every host name a vector names, for the DNS check.</summary>
    public static IReadOnlySet<string> Hosts()
    {
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var v in All)
        {
            foreach (Match m in HostPattern().Matches(v.Payload))
            {
                var host = m.Groups[1].Value.TrimEnd('.');
                if (host.Contains('.', StringComparison.Ordinal) && !host.StartsWith("www.w3.org", StringComparison.OrdinalIgnoreCase)
                    && !char.IsDigit(host[0]) && host.Length > 3)
                    hosts.Add(host);
            }
        }
        return hosts;
    }

    [GeneratedRegex(@"(?:https?:)?//([A-Za-z0-9][A-Za-z0-9.\-]*[A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"\\u\{([0-9A-Fa-f]{4})\}", RegexOptions.CultureInvariant)]
    private static partial Regex Escape();

    private static List<Vector> Load()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Html", "Vectors");
        var vectors = new List<Vector>();
        foreach (var file in Directory.GetFiles(dir, "*.txt").Order(StringComparer.Ordinal))
        {
            var source = Path.GetFileNameWithoutExtension(file);
            string? title = null;
            var payload = new StringBuilder();
            void Flush()
            {
                if (title is null)
                    return;
                var text = payload.ToString();
                if (text.EndsWith('\n'))
                    text = text[..^1];
                text = Escape().Replace(text, m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString());
                vectors.Add(new Vector(source, title, text));
            }
            foreach (var line in File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
            {
                if (line.StartsWith("#### ", StringComparison.Ordinal))
                {
                    Flush();
                    title = line[5..].Trim();
                    payload.Clear();
                }
                else if (title is not null)
                {
                    payload.Append(line).Append('\n');
                }
            }
            Flush();
        }
        return vectors;
    }
}
