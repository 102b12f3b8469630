using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Mailroom.TestSupport.Imap;

/// <summary>
/// A TCP listener on 127.0.0.1 that replays scripted IMAP connections, one per accepted connection, in order: the
/// greeting, then for each line the client sends the recorded reply. Tags are those of the recording: a recorded tag is
/// bound to the tag the client used for the same command, and every reply line that starts with it is sent with the
/// client's (so DONE after IDLE is answered with IDLE's tag). A line that is not the one the script expects ends the
/// connection and is reported by <see cref="AssertCompletedAsync"/>, so a test fails with what was sent instead of what
/// was expected. Model: MailKit's UnitTests/Net/Imap/ImapReplayStream.cs.
/// </summary>
public sealed class ScriptedImapServer : IAsyncDisposable
{
    private static readonly Encoding Latin1 = Encoding.Latin1;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyList<ImapScript> _scripts;
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private int _completed;

    public ScriptedImapServer(params IReadOnlyList<ImapScript> scripts)
    {
        _scripts = scripts;
        _listener.Start();
        _serving = ServeAsync();
    }

    /// <summary>Replays every connection of a recorded transcript.</summary>
    public ScriptedImapServer(ImapTranscript transcript)
        : this(transcript.Connections)
    {
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every line the client sent, tag removed, prefixed by its connection's number: for failure messages.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    /// <summary>
    /// Fails unless every scripted connection was played to its end with every line as expected. Waits (up to ten
    /// seconds) for the client to close its last connection.
    /// </summary>
    public async Task AssertCompletedAsync()
    {
        try
        {
            await _serving.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            _failures.Enqueue("the scripted connections did not end within ten seconds of the test's last step.");
        }

        Assert.True(_failures.IsEmpty, string.Join(Environment.NewLine, _failures));
        Assert.True(Volatile.Read(ref _completed) == _scripts.Count,
            $"{Volatile.Read(ref _completed)} of {_scripts.Count} scripted connections were played to the end. Received:{Environment.NewLine}" +
            string.Join(Environment.NewLine, Received));
    }

    /// <summary>
    /// The reply as it goes on the wire: each line that starts with a bound recorded tag, and each ESEARCH that names
    /// one, carries the client's tag instead.
    /// </summary>
    public static byte[] Rewrite(byte[] reply, IReadOnlyDictionary<string, string> tags)
    {
        if (tags.Count == 0)
            return reply;
        var text = Latin1.GetString(reply);
        var result = new StringBuilder(text.Length);
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf("\r\n", start, StringComparison.Ordinal);
            end = end < 0 ? text.Length : end + 2;
            var line = text[start..end];
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && tags.TryGetValue(line[..space], out var live))
                line = live + line[space..];
            // ESEARCH names the command it answers inside the line (RFC 4731: "* ESEARCH (TAG "A1") ...").
            foreach (var (recorded, client) in tags)
                line = line.Replace($"(TAG \"{recorded}\")", $"(TAG \"{client}\")", StringComparison.Ordinal);
            result.Append(line);
            start = end;
        }
        return Latin1.GetBytes(result.ToString());
    }

    private async Task ServeAsync()
    {
        for (var n = 0; n < _scripts.Count; n++)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            using (client)
            {
                try
                {
                    if (!await PlayAsync(n, client.GetStream()))
                        return; // The client left the script: the connections after this one cannot be played.
                    Interlocked.Increment(ref _completed);
                }
                catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
                {
                    _failures.Enqueue($"connection {n + 1}: ended early: {ex.Message}");
                    return;
                }
            }
        }
    }

    private async Task<bool> PlayAsync(int connection, NetworkStream stream)
    {
        var script = _scripts[connection];
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < script.Exchanges.Count; i++)
        {
            var exchange = script.Exchanges[i];
            if (exchange.ClientLine is { } expected)
            {
                var line = await ReadLineAsync(stream);
                if (line is null)
                {
                    _failures.Enqueue($"connection {connection + 1}, step {i}: the client closed the connection; expected \"{WithoutTag(expected)}\".");
                    return false;
                }

                Received.Enqueue($"{connection + 1}: {WithoutTag(line)}");
                if (!Matches(expected, line, tags))
                {
                    _failures.Enqueue($"connection {connection + 1}, step {i}: expected \"{WithoutTag(expected)}\", received \"{WithoutTag(line)}\".");
                    return false;
                }
            }

            await stream.WriteAsync(Rewrite(exchange.Reply, tags), _stop.Token);
            await stream.FlushAsync(_stop.Token);
        }

        // The server ended this connection in the recording: so does the replay.
        if (script.ServerCloses)
            return true;

        // The client ended it: anything more it sends was not expected.
        var extra = await ReadLineAsync(stream);
        if (extra is not null)
        {
            _failures.Enqueue($"connection {connection + 1}: unexpected line after the end of the script: \"{WithoutTag(extra)}\".");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Whether the client's line is the recorded one: the same text after the tag (a redacted token matches any token),
    /// and a tagged line where the recording has one. Binds the recorded tag to the client's.
    /// </summary>
    private static bool Matches(string expected, string line, Dictionary<string, string> tags)
    {
        var recordedTag = ImapExchange.TagOf(expected);
        var liveTag = ImapExchange.TagOf(line);
        if ((recordedTag is null) != (liveTag is null))
            return false;

        var want = WithoutTag(expected).Split(' ');
        var got = WithoutTag(line).Split(' ');
        if (want.Length != got.Length)
            return false;
        for (var i = 0; i < want.Length; i++)
        {
            if (want[i] != ImapExchange.Redacted && !string.Equals(want[i], got[i], StringComparison.Ordinal))
                return false;
        }

        if (recordedTag is not null)
            tags[recordedTag] = liveTag!;
        return true;
    }

    private static string WithoutTag(string line) =>
        ImapExchange.TagOf(line) is { } tag ? line[(tag.Length + 1)..] : line;

    /// <summary>One CRLF-terminated line, without the CRLF; null when the client closed the connection.</summary>
    private async Task<string?> ReadLineAsync(NetworkStream stream)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
                return line.Count == 0 ? null : Latin1.GetString([.. line]);
            if (one[0] == '\n' && line.Count > 0 && line[^1] == '\r')
                return Latin1.GetString([.. line], 0, line.Count - 1);
            line.Add(one[0]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping ends the accept loop.
        }

        _stop.Dispose();
    }
}
