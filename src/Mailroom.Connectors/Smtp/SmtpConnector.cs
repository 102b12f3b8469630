using Mailroom.Connectors.Auth;
using Mailroom.Connectors.Imap;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors.Smtp;

/// <summary>
/// Opens authenticated submission sessions with MailKit: implicit TLS (465) or mandatory STARTTLS (587), never a
/// silent downgrade; password (SASL PLAIN/LOGIN as offered) or an OAuth2 access token (OAUTHBEARER, else XOAUTH2:
/// <see cref="SaslLogin"/>).
/// </summary>
public sealed class SmtpConnector(ILogger<SmtpConnector> logger, SmtpConnectorOptions options) : ISmtpConnector
{
    public async Task<ISmtpSession> ConnectAsync(
        SmtpSettings settings, string? trustedCaFile, bool allowPlaintext, SmtpCredential credential, CancellationToken cancellationToken)
    {
        var socketOptions = settings.Security switch
        {
            TransportSecurity.Tls => SecureSocketOptions.SslOnConnect,
            TransportSecurity.StartTls => SecureSocketOptions.StartTls,
            TransportSecurity.None when allowPlaintext => SecureSocketOptions.None,
            _ => throw new ConnectorException(ConnectorErrorKind.Misconfigured,
                $"Plaintext SMTP to {settings.Host} is refused: allow it explicitly for this account."),
        };

        var client = new SmtpClient { Timeout = (int)options.CommandTimeout.TotalMilliseconds };
        if (trustedCaFile is not null)
            client.ServerCertificateValidationCallback = CertificateTrust.ForCaFile(trustedCaFile);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ConnectTimeout);
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, socketOptions, deadline.Token);
            Log.Connected(logger, settings.Host, settings.Port, socketOptions.ToString());
            // The same mechanism choice as IMAP and POP3: OAUTHBEARER when announced, else XOAUTH2.
            await SaslLogin.AuthenticateAsync(client, credential.UserName, credential.IsAccessToken
                ? MailboxCredential.OAuth2(credential.Secret)
                : MailboxCredential.Password(credential.Secret), deadline.Token);
            return new SmtpSession(client);
        }
        catch (Exception ex)
        {
            client.Dispose();
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
                throw;
            var error = SmtpErrors.Classify(ex, $"connect to {settings.Host}:{settings.Port}");
            Log.ConnectFailed(logger, settings.Host, settings.Port, error.Kind, error.Message);
            throw error;
        }
    }
}
