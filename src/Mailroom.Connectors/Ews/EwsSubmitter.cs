using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Sending;
using Mailroom.Core.Storage;

namespace Mailroom.Connectors.Ews;

/// <summary>
/// The outbox's way to send for EWS mailboxes: CreateItem with MessageDisposition SendAndSaveCopy and the MIME message,
/// with the mailbox's password (Basic or NTLM). Exchange files the Sent copy itself, so none is appended; sync brings
/// it once. A send is not idempotent: the session retries only answers given before any work (ErrorServerBusy,
/// ErrorExceededConnectionCount); a refusal of the message is permanent, anything else goes back to the outbox and its
/// idempotency and retry rules.
/// </summary>
public sealed class EwsSubmitter(EwsConnector connector, ICredentialSource credentials) : IMessageSubmitter
{
    public bool Sends(MailboxRecord mailbox) => mailbox.Protocol == MailboxProtocol.Ews;

    public string? CannotSend(MailboxRecord mailbox) => mailbox.Settings.ServiceUrl is null ? "An EWS mailbox needs its EWS URL to send." : null;

    public async Task<ISubmissionSession> OpenAsync(MailboxRecord mailbox, CancellationToken cancellationToken) =>
        new Session(await credentials.ConnectAsync(mailbox,
            (credential, ct) => connector.ConnectAsync(mailbox.Id, EwsAccount.For(mailbox.Settings, credential.Secret), verify: false, ct), cancellationToken));

    private sealed class Session(IEwsSession ews) : ISubmissionSession
    {
        public async Task<SmtpOutcome> SendAsync(ClaimedItem claim, CancellationToken cancellationToken)
        {
            try
            {
                await ews.SendMimeAsync(claim.Raw, cancellationToken);
                return SmtpOutcome.Accepted("EWS CreateItem (SendAndSaveCopy) succeeded");
            }
            catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.CommandFailed)
            {
                // Exchange answered and refused this message (bad recipients, too large): trying again changes nothing.
                return new SmtpOutcome(SmtpOutcomeKind.Permanent, null, ex.Message);
            }
        }

        public ValueTask DisposeAsync() => ews.DisposeAsync();
    }
}
