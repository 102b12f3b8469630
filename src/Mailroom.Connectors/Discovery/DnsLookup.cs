using System.Globalization;
using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Mailroom.Connectors.Discovery;

/// <summary>
/// MX, SRV and address look-ups through one resolver: the configured <c>Discovery:DnsServer</c>, or else the system's
/// (its name servers for MX and SRV, its own resolver, hosts file included, for addresses).
/// A timeout is a <see cref="TimeoutException"/>, a DNS error a <see cref="DiscoveryFailure"/>; no record is an empty list.
/// </summary>
internal sealed class DnsLookup
{
    private readonly LookupClient _client;
    private readonly bool _custom;

    public DnsLookup(DiscoveryOptions options)
    {
        LookupClientOptions clientOptions;
        if (options.DnsServer is { Length: > 0 } server && TryParseEndPoint(server, out var endPoint))
        {
            clientOptions = new LookupClientOptions(endPoint!);
            _custom = true;
        }
        else
        {
            clientOptions = new LookupClientOptions();
        }
        clientOptions.Timeout = options.LookupTimeout;
        clientOptions.Retries = 0;
        clientOptions.UseCache = false;
        clientOptions.ThrowDnsErrors = false;
        clientOptions.ContinueOnDnsError = false;
        _client = new LookupClient(clientOptions);
    }

    public static bool TryParseEndPoint(string text, out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (IPAddress.TryParse(text, out var address))
        {
            endPoint = new IPEndPoint(address, 53);
            return true;
        }
        if (IPEndPoint.TryParse(text, out var parsed))
        {
            endPoint = parsed.Port == 0 ? new IPEndPoint(parsed.Address, 53) : parsed;
            return true;
        }
        return false;
    }

    public async Task<IReadOnlyList<MxRecord>> MxAsync(string domain, CancellationToken cancellationToken) =>
        [.. (await QueryAsync(domain, QueryType.MX, cancellationToken)).Answers.MxRecords().OrderBy(r => r.Preference)];

    public async Task<IReadOnlyList<SrvRecord>> SrvAsync(string name, CancellationToken cancellationToken) =>
        [.. (await QueryAsync(name, QueryType.SRV, cancellationToken)).Answers.SrvRecords()];

    /// <summary>
    /// A <see cref="SocketsHttpHandler.ConnectCallback"/> that resolves through this resolver, so that discovery's HTTP
    /// look-ups (autoconfig, Autodiscover) reach the hosts its DNS names. A name that does not exist is a <see cref="DiscoveryFailure"/>.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await AddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        if (addresses.Count == 0)
            throw new DiscoveryFailure($"{context.DnsEndPoint.Host} does not resolve");
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync([.. addresses], context.DnsEndPoint.Port, cancellationToken);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The addresses of a host; empty when the name does not exist.</summary>
    public async Task<IReadOnlyList<IPAddress>> AddressesAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
            return [literal];
        // RFC 6761 §6.3: localhost is the loopback address, whatever a name server says.
        if (string.Equals(host.TrimEnd('.'), "localhost", StringComparison.OrdinalIgnoreCase))
            return [IPAddress.Loopback];
        if (!_custom)
        {
            try
            {
                return await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (System.Net.Sockets.SocketException)
            {
                return [];
            }
        }
        var a = QueryAsync(host, QueryType.A, cancellationToken);
        var aaaa = QueryAsync(host, QueryType.AAAA, cancellationToken);
        var v4 = (await a).Answers.ARecords().Select(r => r.Address);
        var v6 = (await aaaa).Answers.AaaaRecords().Select(r => r.Address);
        return [.. v4, .. v6];
    }

    private async Task<IDnsQueryResponse> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, type, QueryClass.IN, cancellationToken);
        }
        catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.ConnectionTimeout)
        {
            throw new TimeoutException($"DNS {type} {name}: no answer from the name server", ex);
        }
        catch (DnsResponseException ex)
        {
            throw new DiscoveryFailure($"DNS {type} {name}: {ex.Message}", ex);
        }
        if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
            throw new DiscoveryFailure(string.Create(CultureInfo.InvariantCulture, $"DNS {type} {name}: {response.ErrorMessage}"));
        return response;
    }
}
