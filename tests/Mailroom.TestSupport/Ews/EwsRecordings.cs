using System.Text;
using System.Text.Json;

namespace Mailroom.TestSupport.Ews;

/// <summary>
/// Responses recorded from a real Exchange Online tenant (../shared/providers/ews/recordings, from Garethp/php-ews,
/// BSD-3-Clause), in call order. Entries that record a failed connection (no response) are left out.
/// </summary>
public static class EwsRecordings
{
    /// <summary>One recorded answer: the HTTP status and the SOAP body as Exchange sent it.</summary>
    public sealed record Answer(int StatusCode, byte[] Body)
    {
        /// <summary>The first element inside soap:Body, by local name (the recordings lack the requests).</summary>
        public string Operation
        {
            get
            {
                var text = Encoding.UTF8.GetString(Body);
                var start = text.IndexOf("Body>", StringComparison.Ordinal);
                var open = text.IndexOf('<', start) + 1;
                var end = text.IndexOfAny([' ', '>', '/'], open);
                var name = text[open..end];
                return name[(name.IndexOf(':', StringComparison.Ordinal) + 1)..];
            }
        }
    }

    /// <summary>The directory of the recordings; skips the calling test, saying why, when it is absent.</summary>
    public static string Require()
    {
        var dir = EwsSchemas.ProvidersEwsDirectory() is { } ews ? Path.Combine(ews, "recordings") : null;
        if (dir is null || !Directory.Exists(dir))
            Xunit.Assert.Skip("../shared/providers/ews/recordings not found (or MAILROOM_PROVIDERS unset): the recorded Exchange answers were not read.");
        return dir;
    }

    public static IReadOnlyList<Answer> Load(string relativePath) => Parse(Path.Combine(Require(), relativePath));

    /// <summary>Every recorded answer of every file, with its file, for tests over the whole set.</summary>
    public static IEnumerable<(string File, Answer Answer)> All()
    {
        var root = Require();
        foreach (var file in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            foreach (var answer in Parse(file))
                yield return (Path.GetRelativePath(root, file), answer);
        }
    }

    private static List<Answer> Parse(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(file));
        var answers = new List<Answer>();
        foreach (var entry in json.RootElement.EnumerateArray())
        {
            if (entry.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.String
                && entry.TryGetProperty("statusCode", out var status) && status.ValueKind == JsonValueKind.Number)
                answers.Add(new Answer(status.GetInt32(), Encoding.UTF8.GetBytes(body.GetString()!)));
        }
        return answers;
    }
}
