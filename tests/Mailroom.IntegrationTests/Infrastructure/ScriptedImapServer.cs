using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mailroom.IntegrationTests.Infrastructure;

/// <summary>One step of a scripted session: the command expected from the client (without its tag) and the recorded
/// response that answers it. The first step of a session is the greeting: no command, the recording is sent on connect.</summary>
internal sealed record ScriptStep(string Command, string Recording);

/// <summary>
/// A TCP listener on 127.0.0.1 that replays recorded IMAP sessions, one per accepted connection, in order: the greeting,
/// then for each client command the recorded response with the recorded tag replaced by the client's. A command that is
/// not the one the script expects ends the connection and is reported by <see cref="AssertCompleted"/>, so a test fails
/// with what was sent instead of what was expected. Model: MailKit's UnitTests/Net/Imap/ImapReplayStream.cs, which also
/// turns the recordings' LF line ends into CRLF.
/// </summary>
internal sealed class ScriptedImapServer : IAsyncDisposable
{
    private static readonly Encoding Latin1 = Encoding.Latin1;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyList<ScriptStep>[] _sessions;
    private readonly string _recordings;
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private int _completed;

    public ScriptedImapServer(string recordings, params IReadOnlyList<ScriptStep>[] sessions)
    {
        _recordings = recordings;
        _sessions = sessions;
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every command the client sent, tag removed, in order, per session: for failure messages.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    /// <summary>
    /// Fails unless every scripted session was played to its end with every command as expected. Waits (up to ten
    /// seconds) for the server to see the client close its last connection.
    /// </summary>
    public async Task AssertCompletedAsync()
    {
        try
        {
            await _serving.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            _failures.Enqueue("the scripted sessions did not end within ten seconds of the test's last step.");
        }

        Assert.True(_failures.IsEmpty, string.Join(Environment.NewLine, _failures));
        Assert.True(Volatile.Read(ref _completed) == _sessions.Length,
            $"{Volatile.Read(ref _completed)} of {_sessions.Length} scripted sessions were played to the end. Received:{Environment.NewLine}" +
            string.Join(Environment.NewLine, Received));
    }

    /// <summary>The recording as it goes on the wire: CRLF line ends, and the tagged completion carrying <paramref name="tag"/>.</summary>
    public static byte[] Response(byte[] recording, string? tag)
    {
        var text = Latin1.GetString(recording).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        if (tag is not null)
        {
            var last = text.LastIndexOf("\r\n", text.Length - 3, StringComparison.Ordinal) + 2;
            var space = text.IndexOf(' ', last);
            var recordedTag = text[last..space];
            if (recordedTag is "*" or "+")
                throw new InvalidOperationException("The recording does not end with a tagged response.");
            text = text[..last] + tag + text[space..];
        }

        return Latin1.GetBytes(text);
    }

    private async Task ServeAsync()
    {
        for (var n = 0; n < _sessions.Length; n++)
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
                    if (await PlayAsync(n, client.GetStream()))
                        Interlocked.Increment(ref _completed);
                }
                catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
                {
                    _failures.Enqueue($"session {n + 1}: connection ended early: {ex.Message}");
                }
            }
        }
    }

    private async Task<bool> PlayAsync(int session, NetworkStream stream)
    {
        var script = _sessions[session];
        await SendAsync(stream, script[0].Recording, tag: null);
        for (var i = 1; i < script.Count; i++)
        {
            var line = await ReadLineAsync(stream);
            if (line is null)
            {
                _failures.Enqueue($"session {session + 1}, step {i}: the client closed the connection; expected \"{script[i].Command}\".");
                return false;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var (tag, command) = space < 0 ? (line, "") : (line[..space], line[(space + 1)..]);
            Received.Enqueue($"{session + 1}: {command}");
            if (!string.Equals(command, script[i].Command, StringComparison.Ordinal))
            {
                _failures.Enqueue($"session {session + 1}, step {i}: expected \"{script[i].Command}\", received \"{command}\".");
                return false;
            }

            await SendAsync(stream, script[i].Recording, tag);
        }

        // The script is played; anything more the client sends was not expected.
        var extra = await ReadLineAsync(stream);
        if (extra is not null)
        {
            _failures.Enqueue($"session {session + 1}: unexpected command after the end of the script: \"{extra}\".");
            return false;
        }

        return true;
    }

    private async Task SendAsync(NetworkStream stream, string recording, string? tag)
    {
        var bytes = Response(await File.ReadAllBytesAsync(Path.Combine(_recordings, recording), _stop.Token), tag);
        await stream.WriteAsync(bytes, _stop.Token);
        await stream.FlushAsync(_stop.Token);
    }

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
