namespace Mailroom.Core.Messages;

/// <summary>
/// What went wrong while reading one message, in the order found. Repeats are dropped and the list is capped,
/// so that a message with ten thousand broken parts still yields a readable list.
/// </summary>
internal sealed class ProblemList
{
    private const int MaxProblems = 50;

    private readonly List<string> problems = [];
    private HashSet<string>? seen;
    private int dropped;

    public int Count => problems.Count;

    public void Add(string problem)
    {
        seen ??= new HashSet<string>(StringComparer.Ordinal);
        if (!seen.Add(problem))
            return;

        if (problems.Count >= MaxProblems)
        {
            dropped++;
            return;
        }

        problems.Add(problem);
    }

    public IReadOnlyList<string> ToList()
    {
        if (problems.Count == 0)
            return [];

        var result = new List<string>(problems.Count + 1);
        result.AddRange(problems);
        if (dropped > 0)
            result.Add($"{dropped} more problems not listed");
        return result;
    }

    /// <summary>A header or part text shortened and made printable for a problem message.</summary>
    public static string Quote(string? text, int max = 60)
    {
        if (string.IsNullOrEmpty(text))
            return "\"\"";

        var span = text.AsSpan().Trim();
        var cut = span.Length > max;
        if (cut)
            span = span[..max];

        Span<char> chars = span.Length <= 256 ? stackalloc char[span.Length] : new char[span.Length];
        for (var i = 0; i < span.Length; i++)
            chars[i] = char.IsControl(span[i]) ? ' ' : span[i];

        return cut ? $"\"{chars}…\"" : $"\"{chars}\"";
    }
}
