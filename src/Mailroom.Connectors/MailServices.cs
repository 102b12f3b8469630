using System.Net.Sockets;
using Mailroom.Core.Connectors;
using MailKit;
using MailKit.Security;

namespace Mailroom.Connectors;

/// <summary>
/// What IMAP, POP3 and SMTP clients have in common: failures classified once at the connector boundary (each protocol's
/// classifier handles its own command errors first and hands everything else here), and closing a session.
/// </summary>
internal static class MailServices
{
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
