using System.Net.Sockets;
using System.Text.Json;
using Mailroom.Connectors.Imap;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using MailKit;
using MailKit.Security;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors;

/// <summary>
/// What IMAP, POP3 and SMTP clients have in common: one TLS policy and connect deadline, failures classified once at
/// the connector boundary (each protocol's classifier handles its own command errors first and hands everything else
/// here), and closing a session.
/// </summary>
internal static class MailServices
{
    /// <summary>
    /// Connects a new <typeparamref name="TClient"/> to <paramref name="endpoint"/> and runs <paramref name="open"/> (login
    /// and whatever the protocol needs before its first command), all within <paramref name="connectTimeout"/>. TLS is
    /// never negotiated down silently: implicit TLS, or STARTTLS that must succeed, or plaintext only when the account
    /// allows it. On failure the client is disposed and the failure classified by <paramref name="classify"/> and
    /// logged; the caller's own cancellation passes through as it is.
    /// </summary>
    public static async Task<TSession> ConnectAsync<TClient, TSession>(
        MailServiceEndpoint endpoint, TimeSpan connectTimeout, TimeSpan commandTimeout,
        Func<TClient, CancellationToken, Task<TSession>> open, Func<Exception, string, ConnectorException> classify,
        ILogger logger, CancellationToken cancellationToken)
        where TClient : MailService, new()
    {
        var socketOptions = endpoint.Security switch
        {
            TransportSecurity.Tls => SecureSocketOptions.SslOnConnect,
            // StartTls (never Auto): MailKit fails the connect when the server does not offer STARTTLS (STLS in POP3).
            TransportSecurity.StartTls => SecureSocketOptions.StartTls,
            TransportSecurity.None when endpoint.AllowPlaintext => SecureSocketOptions.None,
            _ => throw new ConnectorException(ConnectorErrorKind.Misconfigured,
                $"Plaintext {endpoint.Protocol} to {endpoint.Host} is refused: allow it explicitly for this account."),
        };

        var client = new TClient { Timeout = (int)commandTimeout.TotalMilliseconds };
        if (endpoint.TrustedCaFile is { } caFile)
            client.ServerCertificateValidationCallback = CertificateTrust.ForCaFile(caFile);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(connectTimeout);
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, socketOptions, deadline.Token);
            Log.Connected(logger, endpoint.Host, endpoint.Port, socketOptions.ToString());
            return await open(client, deadline.Token);
        }
        catch (Exception ex)
        {
            client.Dispose();
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
                throw;
            var error = classify(ex, $"connect to {endpoint.Host}:{endpoint.Port}");
            // The kind as users read enum words everywhere else (authentication_failed), not the member name.
            Log.ConnectFailed(logger, endpoint.Host, endpoint.Port, JsonNamingPolicy.SnakeCaseLower.ConvertName(error.Kind.ToString()), error.Message);
            throw error;
        }
    }

    public static ConnectorException Classify(Exception ex, string during) => ex switch
    {
        ConnectorException ce => ce,
        MailKit.Security.AuthenticationException =>
            new(ConnectorErrorKind.AuthenticationFailed, $"Login refused during {during}: {ex.Message}", ex),
        SslHandshakeException =>
            new(ConnectorErrorKind.Misconfigured, $"TLS handshake failed during {during}: {ex.Message}", ex),
        System.Security.Authentication.AuthenticationException =>
            new(ConnectorErrorKind.Misconfigured, $"TLS failed during {during}: {ex.Message}", ex),
        NotSupportedException =>
            new(ConnectorErrorKind.Misconfigured, $"Server does not support what was required during {during}: {ex.Message}", ex),
        OperationCanceledException or TimeoutException =>
            new(ConnectorErrorKind.Transient, $"Timed out during {during}.", ex),
        ProtocolException or IOException or SocketException or ServiceNotConnectedException or ObjectDisposedException =>
            new(ConnectorErrorKind.Transient, $"Connection lost during {during}: {ex.Message}", ex),
        _ => new(ConnectorErrorKind.Transient, $"Unexpected failure during {during}: {ex.Message}", ex),
    };

    /// <summary>Says goodbye (LOGOUT or QUIT) within 5 s if still connected, then disposes the client.</summary>
    public static async ValueTask CloseAsync(IMailService client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(quit: true, deadline.Token);
            }
        }
        catch (Exception)
        {
            // Logging out is a courtesy (POP3 sends no DELE, so its QUIT commits nothing); Dispose closes a dead connection.
        }
        client.Dispose();
    }
}
