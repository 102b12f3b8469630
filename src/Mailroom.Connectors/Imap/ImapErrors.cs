using System.Net.Sockets;
using System.Security.Authentication;
using Mailroom.Core.Connectors;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Mailroom.Connectors.Imap;

/// <summary>Classifies MailKit failures once, at the connector boundary.</summary>
internal static class ImapErrors
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
        ImapCommandException =>
            new(ConnectorErrorKind.CommandFailed, $"Server refused a command during {during}: {ex.Message}", ex),
        FolderNotFoundException =>
            new(ConnectorErrorKind.CommandFailed, $"Folder not found during {during}: {ex.Message}", ex),
        OperationCanceledException or TimeoutException =>
            new(ConnectorErrorKind.Transient, $"Timed out during {during}.", ex),
        ImapProtocolException or IOException or SocketException or ServiceNotConnectedException or ObjectDisposedException =>
            new(ConnectorErrorKind.Transient, $"Connection lost during {during}: {ex.Message}", ex),
        _ => new(ConnectorErrorKind.Transient, $"Unexpected failure during {during}: {ex.Message}", ex),
    };
}
