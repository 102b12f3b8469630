using Mailroom.Connectors.Auth;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using MailKit.Net.Smtp;
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
        var endpoint = new MailServiceEndpoint("SMTP", settings.Host, settings.Port, settings.Security, allowPlaintext, trustedCaFile);
        return await MailServices.ConnectAsync<SmtpClient, ISmtpSession>(endpoint, options.ConnectTimeout, options.CommandTimeout, async (client, ct) =>
        {
            // The same mechanism choice as IMAP and POP3: OAUTHBEARER when announced, else XOAUTH2.
            await SaslLogin.AuthenticateAsync(client, credential.UserName, credential.IsAccessToken
                ? MailboxCredential.OAuth2(credential.Secret)
                : MailboxCredential.Password(credential.Secret), ct);
            return new SmtpSession(client);
        }, SmtpErrors.Classify, logger, cancellationToken);
    }
}
