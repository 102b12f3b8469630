using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Mailroom.IntegrationTests.Infrastructure;

/// <summary>
/// Loads messages into the test Dovecot over a plain IMAP connection with APPEND literals, so that every byte
/// (malformed headers, bare 8-bit, missing boundaries) reaches the server exactly as written. A MIME library
/// would re-serialize and repair them.
/// </summary>
public static class ImapLoader
{
    /// <summary>
    /// How most live tests start: skipped without the test Dovecot; else <paramref name="user"/> is reset to empty
    /// folders and INBOX gets messages 0 to <paramref name="count"/> - 1 (<see cref="TestMessages.Numbered"/>).
    /// </summary>
    public static async Task ResetInboxAsync(string user, int count)
    {
        LiveServers.RequireDovecot();
        await Doveadm.ResetUserAsync(user);
        await AppendAsync(user, "INBOX", Enumerable.Range(0, count).Select(n => TestMessages.Numbered(n)));
    }

    public static async Task AppendAsync(
        string user, string folder, IEnumerable<byte[]> messages, string flags = "", DateTimeOffset? internalDate = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(LiveServers.Host, LiveServers.ImapPort);
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.Latin1);
        await ExpectAsync(reader, "*");
        await CommandAsync(stream, reader, "L", $"LOGIN {user} {user}pass");
        var tag = 0;
        foreach (var raw in messages)
        {
            var t = "A" + (++tag).ToString(CultureInfo.InvariantCulture);
            var flagList = flags.Length == 0 ? "" : $" ({flags})";
            var date = internalDate is { } d ? " \"" + d.ToString("dd-MMM-yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture) + "\"" : "";
            await SendAsync(stream, $"{t} APPEND {Quote(ModifiedUtf7(folder))}{flagList}{date} {{{raw.Length}}}\r\n");
            await ExpectAsync(reader, "+");
            await stream.WriteAsync(raw);
            await SendAsync(stream, "\r\n");
            await ExpectAsync(reader, t + " OK");
        }
        await CommandAsync(stream, reader, "Z", "LOGOUT");
    }

    private static async Task CommandAsync(NetworkStream stream, StreamReader reader, string tag, string command)
    {
        await SendAsync(stream, $"{tag} {command}\r\n");
        await ExpectAsync(reader, tag + " OK");
    }

    private static Task SendAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    private static async Task ExpectAsync(StreamReader reader, string prefix)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
                return;
            if (!line.StartsWith('*'))
                throw new InvalidOperationException($"IMAP: expected '{prefix}', got '{line}'");
        }
        throw new InvalidOperationException($"IMAP: connection closed while waiting for '{prefix}'");
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>RFC 3501 §5.1.3 mailbox name encoding.</summary>
    internal static string ModifiedUtf7(string name)
    {
        var result = new StringBuilder();
        var pending = new StringBuilder();
        void Flush()
        {
            if (pending.Length == 0)
                return;
            var b64 = Convert.ToBase64String(Encoding.BigEndianUnicode.GetBytes(pending.ToString())).TrimEnd('=').Replace('/', ',');
            result.Append('&').Append(b64).Append('-');
            pending.Clear();
        }
        foreach (var c in name)
        {
            if (c is >= ' ' and <= '~')
            {
                Flush();
                result.Append(c == '&' ? "&-" : c.ToString());
            }
            else
            {
                pending.Append(c);
            }
        }
        Flush();
        return result.ToString();
    }
}
