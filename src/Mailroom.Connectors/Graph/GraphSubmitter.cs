using Mailroom.Connectors.Auth;
using Mailroom.Core.Accounts;
using Mailroom.Core.Sending;
using Mailroom.Core.Storage;

namespace Mailroom.Connectors.Graph;

/// <summary>
/// The outbox's way to send for Microsoft Graph mailboxes: sendMail with the MIME message and the mailbox's OAuth token
/// (refreshed once when refused; a dead grant is needs_reauth, as for SMTP). Exchange files the Sent copy itself, so no
/// copy is ever appended. sendMail is not idempotent: only a throttled request (refused before any work) is retried in
/// the session; anything else goes back to the outbox and its idempotency rules.
/// </summary>
public sealed class GraphSubmitter(GraphConnector connector, MailboxCredentials credentials) : IMessageSubmitter
{
    public bool Sends(MailboxRecord mailbox) => mailbox.Protocol == MailboxProtocol.Graph;

    public string? CannotSend(MailboxRecord mailbox) =>
        mailbox.Settings.OAuthProvider is null ? "A Microsoft Graph mailbox needs OAuth2 to send." : null;

    public Task<ISubmissionSession> OpenAsync(MailboxRecord mailbox, CancellationToken cancellationToken)
    {
        var session = connector.Open(mailbox.Id, credentials.GraphUser(mailbox.Settings),
            async (rejected, ct) => (await credentials.GetAccessTokenAsync(mailbox, rejected, ct)).Credential.Secret, canRefresh: true);
        return Task.FromResult<ISubmissionSession>(new Session(session));
    }

    private sealed class Session(Core.Connectors.IGraphSession api) : ISubmissionSession
    {
        public Task<SmtpOutcome> SendAsync(ClaimedItem claim, CancellationToken cancellationToken) => api.SendMimeAsync(claim.Raw, cancellationToken);

        public ValueTask DisposeAsync() => api.DisposeAsync();
    }
}
