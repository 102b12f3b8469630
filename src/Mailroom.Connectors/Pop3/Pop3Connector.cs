using Mailroom.Connectors.Auth;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using MailKit.Net.Pop3;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors.Pop3;

/// <summary>
/// Opens authenticated POP3 sessions with MailKit, with the TLS policy every connector shares
/// (<see cref="MailServices.ConnectAsync"/>): implicit TLS, or STLS that must succeed, or plaintext only when the
/// account allows it. A server without UIDL is refused: without
/// stable ids there is no safe incremental sync.
/// </summary>
public sealed class Pop3Connector(ILogger<Pop3Connector> logger, Pop3ConnectorOptions options)
{
    public async Task<IPop3Session> ConnectAsync(MailboxSettings settings, MailboxCredential credential, CancellationToken cancellationToken)
    {
        var endpoint = new MailServiceEndpoint("POP3", settings.Host, settings.Port, settings.Security, settings.AllowPlaintext, settings.TrustedCaFile);
        return await MailServices.ConnectAsync<Pop3Client, IPop3Session>(endpoint, options.ConnectTimeout, options.CommandTimeout, async (client, ct) =>
        {
            await SaslLogin.AuthenticateAsync(client, settings.UserName, credential, ct);
            // Capabilities may change after login (RFC 2449 §5); MailKit probes UIDL itself when CAPA is missing.
            if (!client.Capabilities.HasFlag(Pop3Capabilities.UIDL))
                throw new ConnectorException(ConnectorErrorKind.Misconfigured,
                    $"POP3 server {settings.Host} does not support UIDL: without stable message ids Mailroom cannot sync it incrementally.");
            return new Pop3Session(client);
        }, Pop3Errors.Classify, logger, cancellationToken);
    }
}
