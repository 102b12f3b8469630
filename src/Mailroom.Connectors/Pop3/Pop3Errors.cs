using System.Net.Sockets;
using Mailroom.Core.Connectors;
using MailKit;
using MailKit.Net.Pop3;
using MailKit.Security;

namespace Mailroom.Connectors.Pop3;

/// <summary>Classifies MailKit POP3 failures once, at the connector boundary (the same kinds as IMAP's).</summary>
internal static class Pop3Errors
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
        Pop3CommandException pce =>
            new(ConnectorErrorKind.CommandFailed, $"Server refused a command during {during}: {ex.Message} {pce.StatusText}".TrimEnd(), ex),
        OperationCanceledException or TimeoutException =>
            new(ConnectorErrorKind.Transient, $"Timed out during {during}.", ex),
        Pop3ProtocolException or IOException or SocketException or ServiceNotConnectedException or ObjectDisposedException =>
            new(ConnectorErrorKind.Transient, $"Connection lost during {during}: {ex.Message}", ex),
        _ => new(ConnectorErrorKind.Transient, $"Unexpected failure during {during}: {ex.Message}", ex),
    };
}
