using System.Net;
using System.Net.Sockets;

namespace Mailroom.Server.View;

/// <summary>
/// The connect step of an <see cref="HttpClient"/> whose every connection passes an <see cref="IEgressPolicy"/>
/// (<see cref="SocketsHttpHandler.ConnectCallback"/>): resolve, check every address, dial an allowed one. Checked on
/// the address actually dialled, so DNS answers and redirects are covered. Used by the image proxy and by webhooks.
/// </summary>
internal static class EgressConnector
{
    public static async ValueTask<Stream> ConnectAsync(
        IEgressPolicy policy, IHostResolver resolver, SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await resolver.ResolveAsync(host, cancellationToken);
        if (addresses.Length == 0)
            throw new EgressRefusedException($"{host} has no address");
        // One refused address refuses the name: a name that also points inside must not be dialled at all.
        foreach (var address in addresses)
        {
            if (policy.Refuse(address, port) is { } reason)
                throw new EgressRefusedException($"{host} resolves to {address}: {reason}");
        }
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }
}
