using System.Net;
using System.Net.Sockets;

namespace Mailroom.IntegrationTests.Discovery;

/// <summary>
/// Servers that hang: a TCP listener that accepts connections and never sends or reads a byte, and a UDP socket
/// (a DNS server's address) that never replies.
/// </summary>
public sealed class SilentServers : IDisposable
{
    private readonly TcpListener _tcp = new(IPAddress.Loopback, 0);
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly List<TcpClient> _held = [];
    private readonly CancellationTokenSource _stop = new();

    public SilentServers()
    {
        _tcp.Start();
        _ = AcceptAsync();
    }

    public int TcpPort => ((IPEndPoint)_tcp.LocalEndpoint).Port;

    public string UdpEndPoint => $"127.0.0.1:{((IPEndPoint)_udp.Client.LocalEndPoint!).Port}";

    public int Accepted { get { lock (_held) return _held.Count; } }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _tcp.AcceptTcpClientAsync(_stop.Token);
                lock (_held)
                    _held.Add(client);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _tcp.Stop();
        lock (_held)
        {
            foreach (var c in _held)
                c.Dispose();
        }
        _udp.Dispose();
        _stop.Dispose();
    }
}
