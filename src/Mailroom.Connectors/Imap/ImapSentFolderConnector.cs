using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.Imap;

/// <summary>Sent-folder sessions over the same IMAP connector the sync uses (same TLS rules, same login).</summary>
public sealed class ImapSentFolderConnector(ImapConnector imap) : ISentFolderConnector
{
    public async Task<ISentFolderSession> ConnectAsync(MailboxSettings settings, MailboxCredential credential, CancellationToken cancellationToken) =>
        (ImapSession)await imap.ConnectAsync(settings, credential, cancellationToken);
}
