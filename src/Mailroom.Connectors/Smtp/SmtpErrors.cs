using System.Net.Sockets;
using Mailroom.Core.Connectors;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Mailroom.Connectors.Smtp;

/// <summary>Classifies MailKit SMTP failures that are not a reply to a message (those become an SmtpOutcome).</summary>
internal static class SmtpErrors
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
        SmtpCommandException command when (int)command.StatusCode is >= 500 =>
            new(ConnectorErrorKind.Misconfigured, $"Server refused during {during}: {(int)command.StatusCode} {ex.Message}", ex),
        SmtpCommandException command =>
            new(ConnectorErrorKind.Transient, $"Server deferred during {during}: {(int)command.StatusCode} {ex.Message}", ex),
        OperationCanceledException or TimeoutException =>
            new(ConnectorErrorKind.Transient, $"Timed out during {during}.", ex),
        SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException or ObjectDisposedException =>
            new(ConnectorErrorKind.Transient, $"Connection lost during {during}: {ex.Message}", ex),
        _ => new(ConnectorErrorKind.Transient, $"Unexpected failure during {during}: {ex.Message}", ex),
    };
}
