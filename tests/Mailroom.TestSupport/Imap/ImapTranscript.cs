using System.Text;

namespace Mailroom.TestSupport.Imap;

/// <summary>
/// A recorded IMAP session as a text file: header lines (<c># key: value</c>: the server, the date, the scenario and
/// the command that produced it), then one block per connection. In a block every line is one CRLF-terminated line
/// as it went over the wire, prefixed <c>S: </c> (server) or <c>C: </c> (client); the block opens with
/// <c>== connection N</c> and ends with <c>== closed by server</c> or <c>== closed by client</c>. Latin-1 keeps every
/// octet as it was. Credentials in client lines are replaced by <see cref="ImapExchange.Redacted"/>.
/// </summary>
public sealed class ImapTranscript
{
    private const string ConnectionPrefix = "== connection ";
    private const string ClosedByServer = "== closed by server";
    private const string ClosedByClient = "== closed by client";

    private ImapTranscript(IReadOnlyDictionary<string, string> header, IReadOnlyList<ImapScript> connections)
    {
        Header = header;
        Connections = connections;
    }

    /// <summary>The header's fields by key (server, recorded, scenario, command, …).</summary>
    public IReadOnlyDictionary<string, string> Header { get; }

    public IReadOnlyList<ImapScript> Connections { get; }

    /// <summary>One recorded line: who sent it and its text without the CRLF.</summary>
    public readonly record struct Line(bool FromClient, string Text);

    public static ImapTranscript Load(string path)
    {
        var header = new Dictionary<string, string>(StringComparer.Ordinal);
        var connections = new List<ImapScript>();
        List<Line>? lines = null;
        var number = 0;
        foreach (var raw in File.ReadAllLines(path, Encoding.Latin1))
        {
            number++;
            if (lines is null)
            {
                if (raw.StartsWith("# ", StringComparison.Ordinal) && raw.IndexOf(": ", StringComparison.Ordinal) is var colon and > 2)
                    header[raw[2..colon]] = raw[(colon + 2)..];
                else if (raw.StartsWith(ConnectionPrefix, StringComparison.Ordinal))
                    lines = [];
                else if (raw.Length > 0 && !raw.StartsWith('#'))
                    throw new InvalidDataException($"{path}:{number}: expected a header line or \"{ConnectionPrefix}N\", found \"{raw}\".");
                continue;
            }

            if (raw is ClosedByServer or ClosedByClient)
            {
                connections.Add(ToScript(lines, serverCloses: raw == ClosedByServer));
                lines = null;
            }
            else if (raw.StartsWith("S: ", StringComparison.Ordinal) || raw.StartsWith("C: ", StringComparison.Ordinal))
            {
                lines.Add(new Line(raw[0] == 'C', raw[3..]));
            }
            else
            {
                throw new InvalidDataException($"{path}:{number}: expected \"S: \", \"C: \" or the end of the connection, found \"{raw}\".");
            }
        }

        if (lines is not null)
            throw new InvalidDataException($"{path}: the last connection has no \"{ClosedByServer}\" or \"{ClosedByClient}\" line.");
        if (connections.Count == 0)
            throw new InvalidDataException($"{path}: no connection was recorded.");
        return new ImapTranscript(header, connections);
    }

    /// <summary>Writes a transcript: the header fields in the order given, then each connection's lines.</summary>
    public static void Write(
        string path,
        IEnumerable<KeyValuePair<string, string>> header,
        IEnumerable<(IReadOnlyList<Line> Lines, bool ServerClosed)> connections)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in header)
            text.Append("# ").Append(key).Append(": ").Append(value).Append('\n');
        var n = 0;
        foreach (var (lines, serverClosed) in connections)
        {
            text.Append(ConnectionPrefix).Append(++n).Append('\n');
            foreach (var line in lines)
                text.Append(line.FromClient ? "C: " : "S: ").Append(line.Text).Append('\n');
            text.Append(serverClosed ? ClosedByServer : ClosedByClient).Append('\n');
        }
        File.WriteAllText(path, text.ToString(), Encoding.Latin1);
    }

    private static ImapScript ToScript(List<Line> lines, bool serverCloses)
    {
        var exchanges = new List<ImapExchange>();
        string? client = null;
        var reply = new StringBuilder();
        var started = false;
        foreach (var line in lines)
        {
            if (line.FromClient)
            {
                exchanges.Add(new ImapExchange(client, Encoding.Latin1.GetBytes(reply.ToString())));
                client = line.Text;
                reply.Clear();
                started = true;
            }
            else
            {
                reply.Append(line.Text).Append("\r\n");
            }
        }

        if (started || reply.Length > 0)
            exchanges.Add(new ImapExchange(client, Encoding.Latin1.GetBytes(reply.ToString())));
        return new ImapScript(exchanges, serverCloses);
    }
}
