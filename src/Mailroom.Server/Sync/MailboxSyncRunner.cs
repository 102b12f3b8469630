using Mailroom.Connectors.Imap;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;

namespace Mailroom.Server.Sync;

/// <summary>One sync of one mailbox: decrypt the secret, connect, sync, record the outcome on the mailbox.</summary>
internal sealed class MailboxSyncRunner(
    IAccountStore accounts,
    MailboxSync sync,
    ISecretProtector secrets,
    ImapConnector imap,
    TimeProvider time,
    ILogger<MailboxSyncRunner> logger)
{
    /// <summary>Counters of the last session, for tests that assert what went over the wire.</summary>
    public SessionCounters? LastCounters { get; private set; }

    /// <summary>Decrypts the mailbox's secret and opens an authenticated session.</summary>
    public async Task<IMailboxSession> ConnectAsync(MailboxRecord mailbox, CancellationToken cancellationToken)
    {
        var secret = secrets.Unprotect(SecretPurposes.MailboxPassword,
            await accounts.GetProtectedSecretAsync(mailbox.Id, cancellationToken));
        return await imap.ConnectAsync(mailbox.Settings, secret, cancellationToken);
    }

    public async Task<SyncSummary> RunAsync(MailboxRecord mailbox, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["MailboxId"] = mailbox.Id, ["Mailbox"] = mailbox.Name });
        Log.SyncStarted(logger, mailbox.Name);
        try
        {
            await using var session = await ConnectAsync(mailbox, cancellationToken);
            LastCounters = session.Counters;
            var summary = await sync.RunAsync(mailbox.Id, session, progress, cancellationToken);

            var state = summary.FolderErrors.Count == 0 ? "ok" : "partial";
            var error = summary.FolderErrors.Count == 0 ? null : string.Join("; ", summary.FolderErrors);
            await accounts.SetMailboxStateAsync(mailbox.Id, state, error, time.GetUtcNow(), cancellationToken);
            Log.SyncFinished(logger, mailbox.Name, summary.MessagesFetched, summary.Elapsed.TotalSeconds);
            return summary;
        }
        catch (ConnectorException ex)
        {
            var state = ex.Kind == ConnectorErrorKind.AuthenticationFailed ? "auth_failed" : "error";
            Log.SyncFailed(logger, mailbox.Name, ex.Kind, ex.Message);
            await accounts.SetMailboxStateAsync(mailbox.Id, state, ex.Message, time.GetUtcNow(), CancellationToken.None);
            throw;
        }
    }
}
