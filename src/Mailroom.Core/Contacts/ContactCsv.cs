using System.Text;

namespace Mailroom.Core.Contacts;

/// <summary>
/// Reads contacts from CSV (RFC 4180: comma-separated, double quotes around fields that hold commas, quotes or line
/// breaks, <c>""</c> for a quote). The first line is the header: <c>external_id,name,email</c>, optionally followed by
/// more <c>email</c> columns. Each email cell may hold several addresses separated by <c>;</c>. Blank lines are
/// skipped. A bad row is reported with its line number and does not stop the others.
/// </summary>
public static class ContactCsv
{
    /// <summary>A row read, or why it was rejected; <paramref name="Line"/> is the line it starts on (1-based).</summary>
    public sealed record Row(int Line, ContactInput? Contact, string? Error);

    /// <summary>Every data row of the file; a header that is not the expected one is a single error on line 1.</summary>
    public static IReadOnlyList<Row> Read(TextReader reader)
    {
        var rows = new List<Row>();
        var records = Records(reader).GetEnumerator();
        int? emailColumns = null;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        while (true)
        {
            (int Line, List<string>? Fields, string? Error) record;
            try
            {
                if (!records.MoveNext())
                    break;
                record = records.Current;
            }
            catch (FormatException ex)
            {
                rows.Add(new Row(int.Parse(ex.Data["line"]!.ToString()!, System.Globalization.CultureInfo.InvariantCulture), null, ex.Message));
                break;
            }

            var (line, fields, _) = record;
            if (fields!.Count == 1 && fields[0].Trim().Length == 0)
                continue; // blank line

            if (emailColumns is null)
            {
                if (HeaderError(fields) is { } headerError)
                    return [new Row(line, null, headerError)];
                emailColumns = fields.Count - 2;
                continue;
            }

            if (fields.Count < 3 || fields.Count > emailColumns + 2)
            {
                rows.Add(new Row(line, null, $"expected external_id,name and 1 to {emailColumns} email fields, found {fields.Count} fields"));
                continue;
            }

            var emails = fields.Skip(2)
                .SelectMany(f => f.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                .ToList();
            var input = new ContactInput(fields[0].Trim(), fields[1].Trim(), emails);
            if (input.Validate(out _) is { } error)
            {
                rows.Add(new Row(line, null, error));
                continue;
            }

            if (seen.TryGetValue(input.ExternalId, out var first))
            {
                rows.Add(new Row(line, null, $"external id '{input.ExternalId}' already appears on line {first}"));
                continue;
            }

            seen[input.ExternalId] = line;
            rows.Add(new Row(line, input, null));
        }

        if (emailColumns is null && rows.Count == 0)
            return [new Row(1, null, "the file is empty; the first line must be the header external_id,name,email")];
        return rows;
    }

    private static string? HeaderError(List<string> fields)
    {
        var names = fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        var ok = names.Count >= 3 && names[0] == "external_id" && names[1] == "name"
            && names.Skip(2).All(n => n == "email");
        return ok ? null : $"the header must be external_id,name,email[,email...]; found '{string.Join(",", fields)}'";
    }

    /// <summary>Records with the line each starts on. Throws <see cref="FormatException"/> for an unterminated quote.</summary>
    private static IEnumerable<(int Line, List<string>? Fields, string? Error)> Records(TextReader reader)
    {
        var line = 1;
        var field = new StringBuilder();
        var fields = new List<string>();
        var start = 1;
        var quoted = false;
        var atFieldStart = true;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                        line++;
                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"' when atFieldStart:
                    quoted = true;
                    atFieldStart = false;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    atFieldStart = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    yield return (start, fields, null);
                    fields = [];
                    field.Clear();
                    atFieldStart = true;
                    start = ++line;
                    break;
                default:
                    field.Append(ch);
                    atFieldStart = false;
                    break;
            }
        }

        if (quoted)
        {
            var ex = new FormatException("a quoted field is not closed before the end of the file");
            ex.Data["line"] = start;
            throw ex;
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return (start, fields, null);
        }
    }
}
