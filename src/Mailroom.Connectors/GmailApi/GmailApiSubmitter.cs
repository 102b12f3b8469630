using Mailroom.Connectors.Auth;
using Mailroom.Core.Accounts;
using Mailroom.Core.Identity;
using Mailroom.Core.Sending;
using Mailroom.Core.Storage;
using MimeKit;

namespace Mailroom.Connectors.GmailApi;

/// <summary>
/// The outbox's way to send for Gmail API mailboxes: users.messages.send with the mailbox's OAuth token (refreshed once
/// when refused; a dead grant is needs_reauth, as for SMTP). A reply goes into its Gmail thread (the threadId of the
/// stored message it answers). Gmail files the sent message under SENT itself, so no copy is ever appended.
/// </summary>
public sealed class GmailApiSubmitter(GmailApiConnector connector, MailboxCredentials credentials, IGmailApiStore store) : IMessageSubmitter
{
    public bool Sends(MailboxRecord mailbox) => mailbox.Protocol == MailboxProtocol.GmailApi;

    public string? CannotSend(MailboxRecord mailbox) =>
        mailbox.Settings.OAuthProvider is null ? "A Gmail API mailbox needs OAuth2 to send." : null;

    public Task<ISubmissionSession> OpenAsync(MailboxRecord mailbox, CancellationToken cancellationToken)
    {
        var session = connector.Open(mailbox.Id,
            async (rejected, ct) => (await credentials.GetAccessTokenAsync(mailbox, rejected, ct)).Credential.Secret, canRefresh: true);
        return Task.FromResult<ISubmissionSession>(new Session(session, mailbox.Id, store));
    }

    private sealed class Session(GmailApiSession api, long mailboxId, IGmailApiStore store) : ISubmissionSession
    {
        public async Task<SmtpOutcome> SendAsync(ClaimedItem claim, CancellationToken cancellationToken)
        {
            var threadId = await ThreadOfAsync(claim.Raw, cancellationToken);
            return await api.SendAsync(claim.Raw, threadId, cancellationToken);
        }

        /// <summary>The Gmail thread of the message this one answers (In-Reply-To, else References from the last), if stored.</summary>
        private async Task<string?> ThreadOfAsync(byte[] raw, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(raw, writable: false);
            var headers = await HeaderList.LoadAsync(stream, cancellationToken);
            var ids = new List<string>();
            if (headers[HeaderId.InReplyTo] is { } inReplyTo)
                ids.AddRange(MimeKit.Utils.MimeUtils.EnumerateReferences(inReplyTo));
            if (headers[HeaderId.References] is { } references)
                ids.AddRange(MimeKit.Utils.MimeUtils.EnumerateReferences(references).Reverse());
            return ids.Count == 0 ? null : GmailIds.ApiThreadId(await store.FindThreadIdAsync(mailboxId, ids, cancellationToken));
        }

        public ValueTask DisposeAsync() => api.DisposeAsync();
    }
}
