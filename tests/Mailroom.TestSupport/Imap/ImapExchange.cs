using System.Text;

namespace Mailroom.TestSupport.Imap;

/// <summary>
/// One step of a scripted IMAP connection: the line the client must send, as it was recorded (with the tag the
/// recording gave it), and the server's bytes that followed it on the wire, with CRLF line ends.
/// </summary>
/// <param name="ClientLine">The expected client line without its CRLF; null for the greeting, which is sent on connect.</param>
/// <param name="Reply">What the server sent after that line, until the client's next line.</param>
public sealed record ImapExchange(string? ClientLine, byte[] Reply)
{
    /// <summary>Stands in a recorded client line for a credential that was redacted; any token matches it.</summary>
    public const string Redacted = "<redacted>";

    /// <summary>
    /// A response recorded on its own, one file per response as in MailKit's <c>Resources/&lt;server&gt;/</c> folders
    /// (LF or CRLF line ends), answering <paramref name="command"/> (given without a tag; null for the greeting).
    /// The tag of the response's final tagged line stands for the client's tag.
    /// </summary>
    public static ImapExchange FromResponseFile(string? command, string path)
    {
        var text = Encoding.Latin1.GetString(File.ReadAllBytes(path))
            .Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace("\n", "\r\n", StringComparison.Ordinal);
        var reply = Encoding.Latin1.GetBytes(text);
        if (command is null)
            return new ImapExchange(null, reply);

        var last = text.LastIndexOf("\r\n", text.Length - 3, StringComparison.Ordinal) + 2;
        var tag = text[last..text.IndexOf(' ', last)];
        if (tag is "*" or "+")
            throw new InvalidDataException($"{path} does not end with a tagged response, so it cannot answer \"{command}\".");
        return new ImapExchange($"{tag} {command}", reply);
    }

    /// <summary>
    /// The tag of a client line: its first word when it has more than one. A continuation the client sends (DONE, a
    /// SASL response in base64) is one word and has none.
    /// </summary>
    public static string? TagOf(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? line[..space] : null;
    }
}
