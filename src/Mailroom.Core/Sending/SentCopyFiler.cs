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

    private readonly IOutboxStore _outbox = outbox;
    private readonly IAccountStore _accounts = accounts;
    private readonly ICredentialSource _credentials = credentials;
    private readonly ISentFolderConnector _connector = connector;
    private readonly OutboxOptions _options = options;
    private readonly TimeProvider _time = time;

    /// <summary>Files the mailbox's pending copies over a session of its own.</summary>
    public async Task<OutboxPass> FileAsync(MailboxRecord mailbox, CancellationToken cancellationToken)
    {
        await using var session = Open(mailbox);
        return await session.FileAsync(cancellationToken);
    }

    /// <summary>
    /// A filing session for one mailbox, kept across calls (the claims of one drain): one IMAP connection, opened when
    /// first needed and again after a failure, and what was learned about the server's filing.
    /// </summary>
    public Session Open(MailboxRecord mailbox) => new(this, mailbox);

    public sealed class Session(SentCopyFiler filer, MailboxRecord mailbox) : IAsyncDisposable
    {
        private SentFiling _filing = mailbox.SentFiling;
        private ISentFolderSession? _imap;
        private string? _folder;

        /// <summary>Files every copy pending now.</summary>
        public async Task<OutboxPass> FileAsync(CancellationToken cancellationToken)
        {
            var pending = await filer._outbox.ListPendingSentCopiesAsync(mailbox.Id, 500, cancellationToken);
            if (pending.Count == 0)
                return OutboxPass.Empty;

            var providerFiles = SentFilingProviders.FilesSentMail(mailbox.Protocol)
                || SentFilingProviders.FilesSentMail(mailbox.Settings.Host)
                || (mailbox.Smtp is { } smtp && SentFilingProviders.FilesSentMail(smtp.Host));
            if (providerFiles || mailbox.Protocol != MailboxProtocol.Imap)
            {
                await filer._outbox.SetSentCopiesAsync([.. pending.Select(p => p.Item.Id)], providerFiles ? SentCopyState.ProviderFiles : SentCopyState.NoSentFolder, cancellationToken);
                return new OutboxPass(0, 0, 0, pending.Count, 0);
            }

            // A dead OAuth grant: asking the provider again on every pass would be a retry storm. The copies wait.
            if (mailbox.State == MailboxState.NeedsReauth)
                return OutboxPass.Empty;

            var filed = 0;
            try
            {
                if (_imap is null)
                {
                    _imap = await filer._credentials.ConnectAsync(
                        mailbox, (credential, ct) => filer._connector.ConnectAsync(mailbox.Settings, credential, ct), cancellationToken);
                    _folder = await _imap.FindSentFolderAsync(cancellationToken);
                }
                if (_folder is null)
                {
                    await filer._outbox.SetSentCopiesAsync([.. pending.Select(p => p.Item.Id)], SentCopyState.NoSentFolder, cancellationToken);
                    return new OutboxPass(0, 0, 0, pending.Count, 0);
                }
                foreach (var batch in pending.Chunk(BatchSize))
                    filed += await FileBatchAsync(_imap, _folder, batch, cancellationToken);
                return new OutboxPass(0, 0, 0, filed, 0);
            }
            catch (ConnectorException ex)
            {
                await DisposeAsync();
                if (ex.Kind == ConnectorErrorKind.ReauthorizationRequired)
                    await filer._accounts.SetMailboxStateAsync(mailbox.Id, MailboxState.NeedsReauth, ex.Message, filer._time.GetUtcNow(), CancellationToken.None);
                // The copies wait for a later pass, in the state they are in (an interrupted append stays "appending",
                // so it is searched for before it is appended again); the reason is kept on the first one waiting.
                await filer._outbox.SetSentCopyProblemAsync(pending[Math.Min(filed, pending.Count - 1)].Item.Id, ex.Message, CancellationToken.None);
                return new OutboxPass(0, 0, 0, filed, 1);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_imap is not null)
                await _imap.DisposeAsync();
            _imap = null;
        }

        private async Task<int> FileBatchAsync(ISentFolderSession imap, string folder, (OutboxItem Item, byte[] Raw)[] batch, CancellationToken cancellationToken)
        {
            // A mailbox known to leave filing to the client has nothing to look for, except after an interrupted append.
            var lookFor = _filing == SentFiling.Client ? batch.Where(p => p.Item.SentCopy == SentCopyState.Appending).ToList() : [.. batch];
            var since = batch.Min(p => p.Item.SentAt ?? filer._time.GetUtcNow());
            var found = lookFor.Count == 0
                ? new HashSet<string>()
                : await imap.FindMessageIdsAsync(folder, [.. lookFor.Select(p => p.Item.MessageId)], since, cancellationToken);
            var missing = batch.Where(p => !found.Contains(p.Item.MessageId)).ToList();
            if (missing.Count > 0 && _filing != SentFiling.Client)
            {
                // The server may file its copies a moment after accepting the messages: look again until the wait ends.
                var until = missing.Max(p => p.Item.SentAt ?? filer._time.GetUtcNow()) + filer._options.SentCopyWait;
                while (missing.Count > 0 && filer._time.GetUtcNow() < until)
                {
                    await Task.Delay(filer._options.SentCopyPoll, filer._time, cancellationToken);
                    var late = await imap.FindMessageIdsAsync(folder, [.. missing.Select(p => p.Item.MessageId)], since, cancellationToken);
                    missing.RemoveAll(p => late.Contains(p.Item.MessageId));
                }
            }

            // Found after an interrupted append of our own: ours, not the server's (and no sign that the server files).
            var present = batch.Except(missing).ToList();
            var ours = present.Where(p => p.Item.SentCopy == SentCopyState.Appending).Select(p => p.Item.Id).ToList();
            var byServer = present.Where(p => p.Item.SentCopy != SentCopyState.Appending).Select(p => p.Item.Id).ToList();
            await filer._outbox.SetSentCopiesAsync(ours, SentCopyState.Appended, cancellationToken);
            await filer._outbox.SetSentCopiesAsync(byServer, SentCopyState.FiledByServer, cancellationToken);
            if (byServer.Count > 0 && _filing != SentFiling.Server)
                await filer._accounts.SetSentFilingAsync(mailbox.Id, _filing = SentFiling.Server, cancellationToken);

            if (missing.Count > 0)
            {
                // Recorded before the APPEND: a crash between the two leaves rows that are searched for first next time.
                var ids = missing.Select(p => p.Item.Id).ToList();
                await filer._outbox.SetSentCopiesAsync(ids, SentCopyState.Appending, cancellationToken);
                await imap.AppendSeenAsync(folder, [.. missing.Select(p => new SentCopy(p.Raw, p.Item.SentAt ?? filer._time.GetUtcNow()))], cancellationToken);
                await filer._outbox.SetSentCopiesAsync(ids, SentCopyState.Appended, cancellationToken);
                if (_filing == SentFiling.Unknown)
                    await filer._accounts.SetSentFilingAsync(mailbox.Id, _filing = SentFiling.Client, cancellationToken);
            }
            return batch.Length;
        }
    }
}
