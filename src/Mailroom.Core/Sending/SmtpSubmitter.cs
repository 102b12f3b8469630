using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sending;

/// <summary>SMTP submission (RFC 6409) for IMAP and POP3 mailboxes, with the mailbox's password or OAuth token.</summary>
public sealed class SmtpSubmitter(ICredentialSource credentials, ISmtpConnector smtp) : IMessageSubmitter
{
    public bool Sends(MailboxRecord mailbox) => mailbox.Protocol is MailboxProtocol.Imap or MailboxProtocol.Pop3 or MailboxProtocol.Archive;

    public string? CannotSend(MailboxRecord mailbox) => mailbox.Smtp is null
        ? "The account has no SMTP server: set one with `mailroom account add ... --smtp HOST[:PORT]`."
        : null;

    public async Task<ISubmissionSession> OpenAsync(MailboxRecord mailbox, CancellationToken cancellationToken)
    {
        var settings = mailbox.Smtp ?? throw new InvalidOperationException(CannotSend(mailbox));
        var user = settings.UserName ?? mailbox.Settings.UserName;
        var session = await credentials.ConnectAsync(mailbox, (credential, ct) => smtp.ConnectAsync(
            settings, mailbox.Settings.TrustedCaFile, mailbox.Settings.AllowPlaintext,
            new SmtpCredential(user, credential.Secret, credential.Kind == CredentialKind.OAuth2), ct), cancellationToken);
        return new Session(session);
    }

    private sealed class Session(ISmtpSession smtp) : ISubmissionSession
    {
        public Task<SmtpOutcome> SendAsync(ClaimedItem claim, CancellationToken cancellationToken) =>
            smtp.SendAsync(claim.Item.Sender, claim.Item.Recipients, claim.Raw, claim.International, cancellationToken);

        public ValueTask DisposeAsync() => smtp.DisposeAsync();
    }
}
