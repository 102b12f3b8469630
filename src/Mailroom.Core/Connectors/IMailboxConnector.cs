using Mailroom.Core.Accounts;

namespace Mailroom.Core.Connectors;

/// <summary>Opens sessions to the servers of one kind of account (IMAP, POP3, a provider API).</summary>
public interface IMailboxConnector
{
    Task<IMailboxSession> ConnectAsync(MailboxSettings settings, MailboxCredential credential, CancellationToken cancellationToken);
}
