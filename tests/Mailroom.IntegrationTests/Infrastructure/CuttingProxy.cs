using System.Net;
using System.Net.Sockets;

namespace Mailroom.IntegrationTests.Infrastructure;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of the test Dovecot that cuts each connection after a random number of bytes
/// from the server, until it has cut <see cref="MaxCuts"/> times; after that it passes everything through. With a rate,
/// it also slows what the server sends to that many bytes a second per connection (a slow link), so that a test can act
/// while a sync is part-way whatever the machine's load.
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Random _random = new(4711);
    private readonly int _minBytes;
    private readonly int _maxBytes;
    private readonly int _bytesPerSecond;
    private readonly Task _accepting;
    private int _cuts;

    public CuttingProxy(int targetPort, int maxCuts, int minBytes, int maxBytes, int bytesPerSecond = 0)
    {
        MaxCuts = maxCuts;
        _minBytes = minBytes;
        _maxBytes = maxBytes;
        _bytesPerSecond = bytesPerSecond;
        _listener.Start();
        _accepting = AcceptAsync(targetPort);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int MaxCuts { get; }

    public int Cuts => Volatile.Read(ref _cuts);

    private async Task AcceptAsync(int targetPort)
    {
        while (!_stop.IsCancellationRequested)
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
            _ = Task.Run(() => RelayAsync(client, targetPort));
        }
    }

    private async Task RelayAsync(TcpClient client, int targetPort)
    {
        using var c = client;
        using var server = new TcpClient();
        await server.ConnectAsync(IPAddress.Loopback, targetPort);
        long budget;
        lock (_random)
            budget = Cuts < MaxCuts ? _random.Next(_minBytes, _maxBytes) : long.MaxValue;
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var up = PumpAsync(c.GetStream(), server.GetStream(), long.MaxValue, 0, connection.Token);
        var down = PumpAsync(server.GetStream(), c.GetStream(), budget, _bytesPerSecond, connection.Token);
        var first = await Task.WhenAny(up, down);
        if (first == down && await down)
            Interlocked.Increment(ref _cuts);
        await connection.CancelAsync();
        c.Client.Close();
        server.Client.Close();
    }

    /// <returns>True when the byte budget ran out (a cut), false when either side closed.</returns>
    private static async Task<bool> PumpAsync(NetworkStream from, NetworkStream to, long budget, int bytesPerSecond, CancellationToken cancellationToken)
    {
        var buffer = new byte[bytesPerSecond > 0 ? Math.Clamp(bytesPerSecond / 20, 512, 16 * 1024) : 16 * 1024];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long sent = 0;
        try
        {
            while (true)
            {
                if (bytesPerSecond > 0 && TimeSpan.FromSeconds((double)sent / bytesPerSecond) - clock.Elapsed is { } ahead && ahead > TimeSpan.Zero)
                    await Task.Delay(ahead, cancellationToken);
                var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, Math.Max(1, budget))), cancellationToken);
                if (read == 0)
                    return false;
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                sent += read;
                budget -= read;
                if (budget <= 0)
                    return true;
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
