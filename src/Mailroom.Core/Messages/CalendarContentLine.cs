namespace Mailroom.Core.Messages;

/// <summary>One unfolded iCalendar content line (RFC 5545 §3.1): <c>NAME;PARAM=value;...:VALUE</c>.</summary>
internal readonly record struct CalendarContentLine(string Name, IReadOnlyList<KeyValuePair<string, string>> Parameters, string Value)
{
    /// <summary>The first value of a parameter, unquoted, or null.</summary>
    public string? Parameter(string name)
    {
        foreach (var (key, value) in Parameters)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
                return value;
        }

        return null;
    }

    /// <summary>Reads a content line; false when it has no name or no ':' before its value.</summary>
    public static bool TryParse(ReadOnlySpan<char> line, out CalendarContentLine result)
    {
        result = default;
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '-'))
            i++;
        if (i == 0 || i >= line.Length || line[i] is not (';' or ':'))
            return false;

        var name = line[..i].ToString().ToUpperInvariant();
        List<KeyValuePair<string, string>>? parameters = null;
        while (i < line.Length && line[i] == ';')
        {
            var keyStart = ++i;
            while (i < line.Length && line[i] is not ('=' or ':' or ';'))
                i++;
            if (i >= line.Length)
                return false;

            var key = line[keyStart..i].Trim().ToString();
            string? first = null;
            if (line[i] == '=')
            {
                // param-value *("," param-value); a quoted value may hold ':', ';' and ','.
                do
                {
                    i++;
                    string value;
                    if (i < line.Length && line[i] == '"')
                    {
                        var close = line[(i + 1)..].IndexOf('"');
                        if (close < 0)
                            return false;
                        value = line.Slice(i + 1, close).ToString();
                        i += close + 2;
                    }
                    else
                    {
                        var start = i;
                        while (i < line.Length && line[i] is not (',' or ';' or ':'))
                            i++;
                        value = line[start..i].Trim().ToString();
                    }

                    first ??= value;
                }
                while (i < line.Length && line[i] == ',');
            }

            (parameters ??= []).Add(new KeyValuePair<string, string>(key, first ?? ""));
        }

        if (i >= line.Length || line[i] != ':')
            return false;

        result = new CalendarContentLine(name, parameters ?? (IReadOnlyList<KeyValuePair<string, string>>)[], line[(i + 1)..].ToString());
        return true;
    }

    /// <summary>The lines of an iCalendar text with folding undone (a line starting with space or tab continues the previous one).</summary>
    public static IEnumerable<string> Unfold(string text)
    {
        var current = new System.Text.StringBuilder();
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
                end = text.Length;

            var length = end - start;
            if (length > 0 && text[start + length - 1] == '\r')
                length--;

            if (length > 0 && text[start] is ' ' or '\t')
            {
                current.Append(text, start + 1, length - 1);
            }
            else
            {
                if (current.Length > 0)
                    yield return current.ToString();
                current.Clear();
                current.Append(text, start, length);
            }

            start = end + 1;
        }

        if (current.Length > 0)
            yield return current.ToString();
    }
}
