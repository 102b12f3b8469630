using Mailroom.Connectors.Imap;
using Mailroom.Connectors.Auth;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using MailKit.Net.Pop3;
using MailKit.Security;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors.Pop3;

/// <summary>
/// Opens authenticated POP3 sessions with MailKit, with the TLS policy of <see cref="ImapConnector"/>: implicit TLS,
/// or STLS that must succeed, or plaintext only when the account allows it. A server without UIDL is refused: without
/// stable ids there is no safe incremental sync.
/// </summary>
public sealed class Pop3Connector(ILogger<Pop3Connector> logger, Pop3ConnectorOptions options)
{
    public async Task<IPop3Session> ConnectAsync(MailboxSettings settings, MailboxCredential credential, CancellationToken cancellationToken)
    {
        var socketOptions = settings.Security switch
        {
            TransportSecurity.Tls => SecureSocketOptions.SslOnConnect,
            // StartTls (never Auto): MailKit fails the connect when the server does not offer STLS.
            TransportSecurity.StartTls => SecureSocketOptions.StartTls,
            TransportSecurity.None when settings.AllowPlaintext => SecureSocketOptions.None,
            _ => throw new ConnectorException(ConnectorErrorKind.Misconfigured,
                $"Plaintext POP3 to {settings.Host} is refused: allow it explicitly for this account."),
        };

        var client = new Pop3Client { Timeout = (int)options.CommandTimeout.TotalMilliseconds };
        if (settings.TrustedCaFile is { } caFile)
            client.ServerCertificateValidationCallback = CertificateTrust.ForCaFile(caFile);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ConnectTimeout);
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, socketOptions, deadline.Token);
            Log.Connected(logger, settings.Host, settings.Port, socketOptions.ToString());
            await SaslLogin.AuthenticateAsync(client, settings.UserName, credential, deadline.Token);
            // Capabilities may change after login (RFC 2449 §5); MailKit probes UIDL itself when CAPA is missing.
            if (!client.Capabilities.HasFlag(Pop3Capabilities.UIDL))
                throw new ConnectorException(ConnectorErrorKind.Misconfigured,
                    $"POP3 server {settings.Host} does not support UIDL: without stable message ids Mailroom cannot sync it incrementally.");
            return new Pop3Session(client);
        }
        catch (Exception ex)
        {
            client.Dispose();
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
                throw;
            var error = Pop3Errors.Classify(ex, $"connect to {settings.Host}:{settings.Port}");
            Log.ConnectFailed(logger, settings.Host, settings.Port, error.Kind, error.Message);
            throw error;
        }
    }
}
