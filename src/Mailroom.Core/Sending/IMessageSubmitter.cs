using Mailroom.Core.Storage;

namespace Mailroom.Core.Sending;

/// <summary>
/// How the outbox hands a message to a mailbox's provider: SMTP submission for IMAP and POP3 mailboxes, a provider's
/// own send call for API mailboxes (the Gmail API, Microsoft Graph). The outbox picks the
/// submitter per mailbox and keeps everything else (claims, idempotency, retries, needs_reauth, Sent copies) the same.
/// </summary>
public interface IMessageSubmitter
{
    /// <summary>Whether this submitter sends for the mailbox's protocol.</summary>
    bool Sends(MailboxRecord mailbox);

    /// <summary>Why this mailbox cannot send at all (no SMTP server set, say), or null.</summary>
    string? CannotSend(MailboxRecord mailbox);

    /// <summary>
    /// A submission session for the mailbox, used for one message after another by one caller. Opening it may already
    /// log in; failures are <see cref="Connectors.ConnectorException"/> as for any connector.
    /// </summary>
    Task<ISubmissionSession> OpenAsync(MailboxRecord mailbox, CancellationToken cancellationToken);
}
