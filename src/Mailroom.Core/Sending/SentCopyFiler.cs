using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sending;

/// <summary>
/// Puts exactly one copy of each sent message into Sent (DESIGN §4, "no doubled Sent copies"). Providers that file
/// sent mail themselves are left alone. Otherwise Sent is searched for the pending Message-IDs: a mailbox not yet
/// known is given <see cref="OutboxOptions.SentCopyWait"/> after the last send for the server's own copies to appear,
/// then the missing copies are appended with \Seen; what was seen is remembered per mailbox (<see cref="SentFiling"/>),
/// so a mailbox whose server never files sent mail is not waited for again. The search before every append also
/// covers a crash between the append and its record: a copy found is not appended twice.
/// </summary>
/// <remarks>
/// Copies are handled in batches (one SEARCH per 50 Message-IDs, one MULTIAPPEND and one update per batch): a copy
/// per message, each with its own search, append and update, cost more than the submission itself.
/// </remarks>
public sealed class SentCopyFiler(
    IOutboxStore outbox,
    IAccountStore accounts,
    ICredentialSource credentials,
    ISentFolderConnector connector,
    OutboxOptions options,
    TimeProvider time)
{
    private const int BatchSize = 100;

    public async Task<OutboxPass> FileAsync(MailboxRecord mailbox, CancellationToken cancellationToken)
    {
        var pending = await outbox.ListPendingSentCopiesAsync(mailbox.Id, 500, cancellationToken);
        if (pending.Count == 0)
            return OutboxPass.Empty;

        var providerFiles = SentFilingProviders.FilesSentMail(mailbox.Settings.Host)
            || (mailbox.Smtp is { } smtp && SentFilingProviders.FilesSentMail(smtp.Host));
        if (providerFiles || mailbox.Protocol != "imap")
        {
            await outbox.SetSentCopiesAsync([.. pending.Select(p => p.Item.Id)], providerFiles ? SentCopyState.ProviderFiles : SentCopyState.NoSentFolder, cancellationToken);
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
            if (folder is null)
            {
                await outbox.SetSentCopiesAsync([.. pending.Select(p => p.Item.Id)], SentCopyState.NoSentFolder, cancellationToken);
                return new OutboxPass(0, 0, 0, pending.Count, 0);
            }

            foreach (var batch in pending.Chunk(BatchSize))
            {
                var found = await session.FindMessageIdsAsync(folder, [.. batch.Select(p => p.Item.MessageId)], cancellationToken);
                var missing = batch.Where(p => !found.Contains(p.Item.MessageId)).ToList();
                if (missing.Count > 0 && filing != SentFiling.Client)
                {
                    // The server may file its copies a moment after accepting the messages: look again until the wait ends.
                    var until = missing.Max(p => p.Item.SentAt ?? time.GetUtcNow()) + options.SentCopyWait;
                    while (missing.Count > 0 && time.GetUtcNow() < until)
                    {
                        await Task.Delay(options.SentCopyPoll, time, cancellationToken);
                        var late = await session.FindMessageIdsAsync(folder, [.. missing.Select(p => p.Item.MessageId)], cancellationToken);
                        missing.RemoveAll(p => late.Contains(p.Item.MessageId));
                    }
                }

                var byServer = batch.Except(missing).Select(p => p.Item.Id).ToList();
                await outbox.SetSentCopiesAsync(byServer, SentCopyState.FiledByServer, cancellationToken);
                if (byServer.Count > 0 && filing != SentFiling.Server)
                    await accounts.SetSentFilingAsync(mailbox.Id, filing = SentFiling.Server, cancellationToken);
                filed += byServer.Count;

                if (missing.Count > 0)
                {
                    await session.AppendSeenAsync(folder, [.. missing.Select(p => new SentCopy(p.Raw, p.Item.SentAt ?? time.GetUtcNow()))], cancellationToken);
                    await outbox.SetSentCopiesAsync([.. missing.Select(p => p.Item.Id)], SentCopyState.Appended, cancellationToken);
                    if (filing == SentFiling.Unknown)
                        await accounts.SetSentFilingAsync(mailbox.Id, filing = SentFiling.Client, cancellationToken);
                    filed += missing.Count;
                }
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
