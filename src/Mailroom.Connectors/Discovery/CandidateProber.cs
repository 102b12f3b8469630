using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Mailroom.Connectors.Imap;
using Mailroom.Core.Accounts;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Mailroom.Connectors.Discovery;

/// <summary>
/// Connects to a candidate the way an account would (TCP, implicit TLS or mandatory STARTTLS, certificate
/// validation on), reads the greeting and capabilities, and disconnects. No login.
/// </summary>
internal sealed class CandidateProber(DnsLookup dns, DiscoveryOptions options)
{
    private readonly RemoteCertificateValidationCallback? _trust =
        options.TrustedCaFile is { Length: > 0 } ca ? CertificateTrust.ForCaFile(ca) : null;

    public async Task<CandidateCheck> ProbeAsync(ServerCandidate candidate, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ProbeTimeout);
        using MailService client = candidate.Protocol switch
        {
            MailProtocol.Imap => new ImapClient(),
            MailProtocol.Pop3 => new Pop3Client(),
            _ => new SmtpClient(),
        };
        client.Timeout = (int)options.ProbeTimeout.TotalMilliseconds;
        var certificateErrors = SslPolicyErrors.None;
        client.ServerCertificateValidationCallback = (sender, certificate, chain, errors) =>
        {
            certificateErrors = errors;
            return _trust?.Invoke(sender, certificate, chain, errors) ?? errors == SslPolicyErrors.None;
        };
        var socketOptions = candidate.Security == TransportSecurity.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.SslOnConnect;
        try
        {
            // WaitAsync: the answer must not wait for a server that ignores us, even if a read misses the token.
            await ConnectAsync(client, candidate, socketOptions, deadline.Token).WaitAsync(deadline.Token);
            var mechanisms = client.AuthenticationMechanisms.Order(StringComparer.Ordinal).ToArray();
            try
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
                await client.DisconnectAsync(true, quit.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ProtocolException or CommandException)
            {
                // Connected is what was asked; a slow goodbye does not change that.
            }
            return new CandidateCheck(candidate, true, null, mechanisms);
        }
        catch (Exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // MailKit may wrap the cancellation (an SslHandshakeException around it during TLS): the deadline is the cause.
            return Failed(candidate, $"no answer within {options.ProbeTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is SslHandshakeException or System.Security.Authentication.AuthenticationException && certificateErrors != SslPolicyErrors.None)
        {
            return Failed(candidate, (certificateErrors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0
                ? $"TLS: the server's certificate does not name {candidate.Host}"
                : $"TLS: the server's certificate is not trusted ({certificateErrors})");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Failed(candidate, Describe(ex));
        }
    }

    private async Task ConnectAsync(MailService client, ServerCandidate candidate, SecureSocketOptions socketOptions, CancellationToken cancellationToken)
    {
        // Resolve through discovery's own resolver (the configured one in tests), then hand MailKit the socket
        // with the host name, which TLS checks the certificate against.
        var addresses = await dns.AddressesAsync(candidate.Host, cancellationToken);
        if (addresses.Count == 0)
            throw new DiscoveryFailure($"{candidate.Host} does not resolve");
        Socket? socket = null;
        Exception? last = null;
        foreach (var address in addresses)
        {
            var attempt = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await attempt.ConnectAsync(new IPEndPoint(address, candidate.Port), cancellationToken);
                socket = attempt;
                break;
            }
            catch (SocketException ex)
            {
                attempt.Dispose();
                last = ex;
            }
        }
        if (socket is null)
            throw last ?? new DiscoveryFailure($"{candidate.Host}: no address to connect to");
        try
        {
            await client.ConnectAsync(socket, candidate.Host, candidate.Port, socketOptions, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static CandidateCheck Failed(ServerCandidate candidate, string error) => new(candidate, false, error, []);

    private static string Describe(Exception ex) => ex switch
    {
        DiscoveryFailure => ex.Message,
        SocketException s => $"connect failed: {s.SocketErrorCode}",
        SslHandshakeException => "TLS handshake failed: " + FirstLine(ex.InnerException?.Message ?? ex.Message),
        System.Security.Authentication.AuthenticationException => "TLS failed: " + FirstLine(ex.Message),
        NotSupportedException => "STARTTLS not offered: " + FirstLine(ex.Message),
        _ => $"{ex.GetType().Name}: {FirstLine(ex.Message)}",
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
