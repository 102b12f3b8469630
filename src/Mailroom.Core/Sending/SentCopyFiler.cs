using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sending;

/// <summary>
/// Puts exactly one copy of each sent message into Sent (DESIGN §4, "no doubled Sent copies"). Providers that file
/// sent mail themselves are left alone. Otherwise Sent is searched by Message-ID: a mailbox not yet known is given
/// <see cref="OutboxOptions.SentCopyWait"/> after the send for the server's own copy to appear, then the copy is
/// appended with \Seen; what was seen is remembered per mailbox (<see cref="SentFiling"/>), so a mailbox whose server
/// never files sent mail is not waited for again. The search before every append also covers a crash between the
/// append and its record: the copy found is not appended twice.
/// </summary>
public sealed class SentCopyFiler(
    IOutboxStore outbox,
    IAccountStore accounts,
    ICredentialSource credentials,
    ISentFolderConnector connector,
    OutboxOptions options,
    TimeProvider time)
{
    public async Task<OutboxPass> FileAsync(MailboxRecord mailbox, CancellationToken cancellationToken)
    {
        var pending = await outbox.ListPendingSentCopiesAsync(mailbox.Id, 500, cancellationToken);
        if (pending.Count == 0)
            return OutboxPass.Empty;

        var providerFiles = SentFilingProviders.FilesSentMail(mailbox.Settings.Host)
            || (mailbox.Smtp is { } smtp && SentFilingProviders.FilesSentMail(smtp.Host));
        if (providerFiles || mailbox.Protocol != "imap")
        {
            var state = providerFiles ? SentCopyState.ProviderFiles : SentCopyState.NoSentFolder;
            foreach (var (item, _) in pending)
                await outbox.SetSentCopyAsync(item.Id, state, null, cancellationToken);
            return new OutboxPass(0, 0, 0, pending.Count, 0);
        }

        // A dead OAuth grant: asking the provider again on every pass would be a retry storm. The copies wait.
        if (mailbox.State == AccountStates.NeedsReauth)
            return OutboxPass.Empty;

        var filed = 0;
        var filing = mailbox.SentFiling;
        try
        {
            await using var session = await credentials.ConnectAsync(
                mailbox, (credential, ct) => connector.ConnectAsync(mailbox.Settings, credential, ct), cancellationToken);
            var folder = await session.FindSentFolderAsync(cancellationToken);
            foreach (var (item, raw) in pending)
            {
                if (folder is null)
                {
                    await outbox.SetSentCopyAsync(item.Id, SentCopyState.NoSentFolder, null, cancellationToken);
                    filed++;
                    continue;
                }

                var found = await session.ContainsAsync(folder, item.MessageId, cancellationToken);
                if (!found && filing != SentFiling.Client)
                {
                    // The server may file its copy a moment after accepting the message: look again until the wait ends.
                    var until = (item.SentAt ?? time.GetUtcNow()) + options.SentCopyWait;
                    while (!found && time.GetUtcNow() < until)
                    {
                        await Task.Delay(options.SentCopyPoll, time, cancellationToken);
                        found = await session.ContainsAsync(folder, item.MessageId, cancellationToken);
                    }
                }

                if (found)
                {
                    await outbox.SetSentCopyAsync(item.Id, SentCopyState.FiledByServer, null, cancellationToken);
                    if (filing != SentFiling.Server)
                        await accounts.SetSentFilingAsync(mailbox.Id, filing = SentFiling.Server, cancellationToken);
                }
                else
                {
                    await session.AppendSeenAsync(folder, raw, item.SentAt ?? time.GetUtcNow(), cancellationToken);
                    await outbox.SetSentCopyAsync(item.Id, SentCopyState.Appended, null, cancellationToken);
                    if (filing == SentFiling.Unknown)
                        await accounts.SetSentFilingAsync(mailbox.Id, filing = SentFiling.Client, cancellationToken);
                }
                filed++;
            }
            return new OutboxPass(0, 0, 0, filed, 0);
        }
        catch (ConnectorException ex)
        {
            if (ex.Kind == ConnectorErrorKind.ReauthorizationRequired)
                await accounts.SetMailboxStateAsync(mailbox.Id, AccountStates.NeedsReauth, ex.Message, time.GetUtcNow(), CancellationToken.None);
            // The copies stay pending and are filed on a later pass; the reason is kept on the first one waiting.
            await outbox.SetSentCopyAsync(pending[Math.Min(filed, pending.Count - 1)].Item.Id, SentCopyState.Pending, ex.Message, CancellationToken.None);
            return new OutboxPass(0, 0, 0, filed, 1);
        }
    }
}
