using Mailroom.Connectors.Auth;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using MailKit.Net.Imap;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors.Imap;

/// <summary>Opens authenticated IMAP sessions with MailKit. TLS is never negotiated down silently.</summary>
public sealed class ImapConnector(ILogger<ImapConnector> logger, ImapConnectorOptions options) : IMailboxConnector
{
    public async Task<IMailboxSession> ConnectAsync(MailboxSettings settings, MailboxCredential credential, CancellationToken cancellationToken)
    {
        var endpoint = new MailServiceEndpoint("IMAP", settings.Host, settings.Port, settings.Security, settings.AllowPlaintext, settings.TrustedCaFile);
        return await MailServices.ConnectAsync<ImapClient, IMailboxSession>(endpoint, options.ConnectTimeout, options.CommandTimeout, async (client, ct) =>
        {
            await SaslLogin.AuthenticateAsync(client, settings.UserName, credential, ct);
            // QRESYNC must be enabled before the first SELECT (RFC 7162 §3.2.3); from then on the server reports
            // expunges as VANISHED, which ImapSession listens for.
            var quickResync = options.UseQuickResync && client.Capabilities.HasFlag(ImapCapabilities.QuickResync);
            if (quickResync)
                await client.EnableQuickResyncAsync(ct);
            return new ImapSession(client, options, quickResync);
        }, ImapErrors.Classify, logger, cancellationToken);
    }
}
