using System.Net;
using System.Net.Sockets;
using System.Text;
using Mailroom.TestSupport.Imap;

namespace Mailroom.Connectors.Tests.Imap.Recording;

/// <summary>
/// A TCP proxy on 127.0.0.1 between the real connector and a real IMAP server that writes down every line each side
/// sends, per connection, in the order the proxy saw them. Client lines are forwarded one at a time, so that
/// <see cref="BeforeClientLine"/> can change the server's state between two commands. Credentials are redacted as
/// they are recorded. Used only to record sessions (see <see cref="ImapSessionRecorder"/>).
/// </summary>
internal sealed class RecordingImapProxy : IAsyncDisposable
{
    private static readonly Encoding Latin1 = Encoding.Latin1;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly IReadOnlyList<string> _secrets;
    private readonly List<RecordedConnection> _connections = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public RecordingImapProxy(string upstreamHost, int upstreamPort, IReadOnlyList<string> secrets)
    {
        _upstreamHost = upstreamHost;
        _upstreamPort = upstreamPort;
        _secrets = secrets;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Called with each client line (as recorded) before it is forwarded to the server.</summary>
    public Func<string, CancellationToken, Task>? BeforeClientLine { get; set; }

    /// <summary>What was recorded so far: each connection's lines and whether the server closed it.</summary>
    public List<(IReadOnlyList<ImapTranscript.Line> Lines, bool ServerClosed)> Connections()
    {
        lock (_gate)
            return [.. _connections.Select(c => ((IReadOnlyList<ImapTranscript.Line>)[.. c.Lines], c.ServerClosed))];
    }

    /// <summary>Waits until the server has sent <paramref name="count"/> lines starting with <paramref name="prefix"/> on the latest connection.</summary>
    public async Task WaitForServerLineAsync(string prefix, int count, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            lock (_gate)
            {
                if (_connections.Count > 0 && _connections[^1].Lines.Count(l => !l.FromClient && l.Text.StartsWith(prefix, StringComparison.Ordinal)) >= count)
                    return;
            }
            await Task.Delay(20, deadline.Token);
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var connection = new RecordedConnection();
            lock (_gate)
                _connections.Add(connection);
            _ = RelayAsync(client, connection);
        }
    }

    private async Task RelayAsync(TcpClient client, RecordedConnection connection)
    {
        using var _ = client;
        using var upstream = new TcpClient();
        await upstream.ConnectAsync(_upstreamHost, _upstreamPort, _stop.Token);
        var toServer = PumpAsync(client.GetStream(), upstream.GetStream(), connection, fromClient: true);
        var toClient = PumpAsync(upstream.GetStream(), client.GetStream(), connection, fromClient: false);
        var first = await Task.WhenAny(toServer, toClient);
        lock (_gate)
            connection.ServerClosed = first == toClient;
        // Whichever side closed first, the other is closed too, as a direct connection would be.
        client.Close();
        upstream.Close();
        await Task.WhenAll(toServer.ContinueWith(_ => { }, TaskScheduler.Default), toClient.ContinueWith(_ => { }, TaskScheduler.Default));
    }

    /// <summary>
    /// Relays whole lines one way and records each: the client's redacted (and offered to <see cref="BeforeClientLine"/>
    /// before it is passed on), the server's as they are.
    /// </summary>
    private async Task PumpAsync(NetworkStream from, NetworkStream to, RecordedConnection connection, bool fromClient)
    {
        var pending = new List<byte>();
        var buffer = new byte[16384];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            pending.AddRange(buffer.AsSpan(0, read));
            foreach (var line in TakeLines(pending))
            {
                var text = Latin1.GetString(line, 0, line.Length - 2);
                if (fromClient)
                    text = Redact(text);
                Add(connection, new ImapTranscript.Line(fromClient, text));
                if (fromClient && BeforeClientLine is { } hook)
                    await hook(text, _stop.Token);
                await to.WriteAsync(line, _stop.Token);
            }
        }
    }

    private void Add(RecordedConnection connection, ImapTranscript.Line line)
    {
        lock (_gate)
            connection.Lines.Add(line);
    }

    /// <summary>
    /// Removes and returns the complete lines (with their CRLF) at the start of <paramref name="pending"/>. A bare CR or
    /// LF inside a line could not be written to a transcript line by line, so it fails the recording.
    /// </summary>
    private static List<byte[]> TakeLines(List<byte> pending)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < pending.Count; i++)
        {
            if (pending[i] == '\n')
            {
                if (i == start || pending[i - 1] != '\r')
                    throw new InvalidDataException("A bare LF on the wire cannot be recorded as a transcript line.");
                if (pending.Skip(start).Take(i - 1 - start).Contains((byte)'\r'))
                    throw new InvalidDataException("A bare CR on the wire cannot be recorded as a transcript line.");
                lines.Add([.. pending.GetRange(start, i + 1 - start)]);
                start = i + 1;
            }
        }
        pending.RemoveRange(0, start);
        return lines;
    }

    /// <summary>
    /// Replaces each token of a client line that holds a secret, as it is or inside base64 (a SASL initial response or
    /// continuation), by <see cref="ImapExchange.Redacted"/>.
    /// </summary>
    private string Redact(string line)
    {
        var tokens = line.Split(' ');
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (_secrets.Any(s => token.Contains(s, StringComparison.Ordinal)) || _secrets.Any(s => DecodesToContain(token, s)))
                tokens[i] = ImapExchange.Redacted;
        }
        return string.Join(' ', tokens);
    }

    private static bool DecodesToContain(string token, string secret)
    {
        var bytes = new byte[token.Length];
        return Convert.TryFromBase64String(token, bytes, out var written)
            && Latin1.GetString(bytes, 0, written).Contains(secret, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping ends the accept loop.
        }
        _stop.Dispose();
    }

    private sealed class RecordedConnection
    {
        public List<ImapTranscript.Line> Lines { get; } = [];

        public bool ServerClosed { get; set; }
    }
}
