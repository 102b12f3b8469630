using System.Net.Sockets;
using Mailroom.Connectors.Imap;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mailroom.Connectors.Tests;

public sealed class ImapErrorsTests
{
    public static TheoryData<Exception, ConnectorErrorKind> Cases() => new()
    {
        { new AuthenticationException("bad password"), ConnectorErrorKind.AuthenticationFailed },
        { new SslHandshakeException("untrusted"), ConnectorErrorKind.Misconfigured },
        { new NotSupportedException("STARTTLS"), ConnectorErrorKind.Misconfigured },
        { new ImapCommandException(ImapCommandResponse.No, "NO", "no such thing"), ConnectorErrorKind.CommandFailed },
        { new FolderNotFoundException("Gone"), ConnectorErrorKind.CommandFailed },
        { new ImapProtocolException("unexpected token"), ConnectorErrorKind.Transient },
        { new IOException("reset"), ConnectorErrorKind.Transient },
        { new SocketException((int)SocketError.ConnectionRefused), ConnectorErrorKind.Transient },
        { new ServiceNotConnectedException(), ConnectorErrorKind.Transient },
        { new TimeoutException(), ConnectorErrorKind.Transient },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Failures_are_classified_once_with_the_original_kept(Exception error, ConnectorErrorKind kind)
    {
        var classified = ImapErrors.Classify(error, "a test");
        Assert.Equal(kind, classified.Kind);
        Assert.Same(error, classified.InnerException);
        Assert.Contains("a test", classified.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plaintext_without_permission_is_refused_before_connecting()
    {
        var connector = new ImapConnector(NullLogger<ImapConnector>.Instance, new ImapConnectorOptions());
        var settings = new MailboxSettings { Host = "127.0.0.1", Port = 1, UserName = "u", Security = TransportSecurity.None };
        var error = await Assert.ThrowsAsync<ConnectorException>(
            () => connector.ConnectAsync(settings, MailboxCredential.Password("secret"), TestContext.Current.CancellationToken));
        Assert.Equal(ConnectorErrorKind.Misconfigured, error.Kind);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_connection_is_transient()
    {
        var connector = new ImapConnector(NullLogger<ImapConnector>.Instance, new ImapConnectorOptions { ConnectTimeout = TimeSpan.FromSeconds(5) });
        // Port 1 on loopback: nothing listens there, so the kernel refuses at once.
        var settings = new MailboxSettings { Host = "127.0.0.1", Port = 1, UserName = "u", Security = TransportSecurity.Tls };
        var error = await Assert.ThrowsAsync<ConnectorException>(
            () => connector.ConnectAsync(settings, MailboxCredential.Password("secret"), TestContext.Current.CancellationToken));
        Assert.Equal(ConnectorErrorKind.Transient, error.Kind);
    }
}
