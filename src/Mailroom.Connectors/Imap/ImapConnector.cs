using Mailroom.Connectors.Auth;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors.Imap;

/// <summary>Opens authenticated IMAP sessions with MailKit. TLS is never negotiated down silently.</summary>
public sealed class ImapConnector(ILogger<ImapConnector> logger, ImapConnectorOptions options) : IMailboxConnector
{
    public async Task<IMailboxSession> ConnectAsync(MailboxSettings settings, MailboxCredential credential, CancellationToken cancellationToken)
    {
        var socketOptions = settings.Security switch
        {
            TransportSecurity.Tls => SecureSocketOptions.SslOnConnect,
            // StartTls (never Auto): MailKit fails the connect when the server does not offer STARTTLS.
            TransportSecurity.StartTls => SecureSocketOptions.StartTls,
            TransportSecurity.None when settings.AllowPlaintext => SecureSocketOptions.None,
            _ => throw new ConnectorException(ConnectorErrorKind.Misconfigured,
                $"Plaintext IMAP to {settings.Host} is refused: allow it explicitly for this account."),
        };

        var client = new ImapClient { Timeout = (int)options.CommandTimeout.TotalMilliseconds };
        if (settings.TrustedCaFile is { } caFile)
            client.ServerCertificateValidationCallback = CertificateTrust.ForCaFile(caFile);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ConnectTimeout);
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, socketOptions, deadline.Token);
            Log.Connected(logger, settings.Host, settings.Port, socketOptions.ToString());
            await SaslLogin.AuthenticateAsync(client, settings.UserName, credential, deadline.Token);
            // QRESYNC must be enabled before the first SELECT (RFC 7162 §3.2.3); from then on the server reports
            // expunges as VANISHED, which ImapSession listens for.
            var quickResync = options.UseQuickResync && client.Capabilities.HasFlag(ImapCapabilities.QuickResync);
            if (quickResync)
                await client.EnableQuickResyncAsync(deadline.Token);
            return new ImapSession(client, options, quickResync);
        }
        catch (Exception ex)
        {
            client.Dispose();
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
                throw;
            var error = ImapErrors.Classify(ex, $"connect to {settings.Host}:{settings.Port}");
            Log.ConnectFailed(logger, settings.Host, settings.Port, error.Kind, error.Message);
            throw error;
        }
    }
}
