using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sending;

/// <summary>
/// Puts exactly one copy of each sent message into Sent (DESIGN §4, "no doubled Sent copies"). Providers that file
/// sent mail themselves are left alone. Otherwise Sent is searched for the pending Message-IDs: a mailbox not yet
/// known is given <see cref="OutboxOptions.SentCopyWait"/> after the last send for the server's own copies to appear,
/// then the missing copies are appended with \Seen; what was seen is remembered per mailbox (<see cref="SentFiling"/>),
/// so a mailbox whose server never files sent mail is neither waited for nor searched again. An append is recorded as
/// <see cref="SentCopyState.Appending"/> before it starts, so after a crash between the append and its record the
/// copy is searched for, not appended twice.
/// </summary>
/// <remarks>
/// Copies are handled in batches (one SEARCH per 50 Message-IDs, bounded by date; one MULTIAPPEND; an update before and
/// after it): a copy per message, each with its own search, append and update, cost more than the submission itself.
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
                // A mailbox known to leave filing to the client has nothing to look for, except after an interrupted append.
                var lookFor = filing == SentFiling.Client ? batch.Where(p => p.Item.SentCopy == SentCopyState.Appending).ToList() : [.. batch];
                var since = batch.Min(p => p.Item.SentAt ?? time.GetUtcNow());
                var found = lookFor.Count == 0
                    ? new HashSet<string>()
                    : await session.FindMessageIdsAsync(folder, [.. lookFor.Select(p => p.Item.MessageId)], since, cancellationToken);
                var missing = batch.Where(p => !found.Contains(p.Item.MessageId)).ToList();
                if (missing.Count > 0 && filing != SentFiling.Client)
                {
                    // The server may file its copies a moment after accepting the messages: look again until the wait ends.
                    var until = missing.Max(p => p.Item.SentAt ?? time.GetUtcNow()) + options.SentCopyWait;
                    while (missing.Count > 0 && time.GetUtcNow() < until)
                    {
                        await Task.Delay(options.SentCopyPoll, time, cancellationToken);
                        var late = await session.FindMessageIdsAsync(folder, [.. missing.Select(p => p.Item.MessageId)], since, cancellationToken);
                        missing.RemoveAll(p => late.Contains(p.Item.MessageId));
                    }
                }

                // Found after an interrupted append of our own: ours, not the server's (and no sign that the server files).
                var present = batch.Except(missing).ToList();
                var ours = present.Where(p => p.Item.SentCopy == SentCopyState.Appending).Select(p => p.Item.Id).ToList();
                var byServer = present.Where(p => p.Item.SentCopy != SentCopyState.Appending).Select(p => p.Item.Id).ToList();
                await outbox.SetSentCopiesAsync(ours, SentCopyState.Appended, cancellationToken);
                await outbox.SetSentCopiesAsync(byServer, SentCopyState.FiledByServer, cancellationToken);
                if (byServer.Count > 0 && filing != SentFiling.Server)
                    await accounts.SetSentFilingAsync(mailbox.Id, filing = SentFiling.Server, cancellationToken);
                filed += present.Count;

                if (missing.Count > 0)
                {
                    // Recorded before the APPEND: a crash between the two leaves rows that are searched for first next time.
                    var ids = missing.Select(p => p.Item.Id).ToList();
                    await outbox.SetSentCopiesAsync(ids, SentCopyState.Appending, cancellationToken);
                    await session.AppendSeenAsync(folder, [.. missing.Select(p => new SentCopy(p.Raw, p.Item.SentAt ?? time.GetUtcNow()))], cancellationToken);
                    await outbox.SetSentCopiesAsync(ids, SentCopyState.Appended, cancellationToken);
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
