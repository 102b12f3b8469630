using Mailroom.Connectors.Auth;
using Mailroom.Connectors.Ews;
using Mailroom.Connectors.GmailApi;
using Mailroom.Connectors.Graph;
using Mailroom.Connectors.Imap;
using Mailroom.Connectors.Pop3;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Core.Sync.Ews;
using Mailroom.Core.Sync.GmailApi;
using Mailroom.Core.Sync.Graph;
using Mailroom.Core.Sync.Pop3;

namespace Mailroom.Server.Sync;

/// <summary>
/// One sync of one mailbox: decrypt the secret, connect with the mailbox's protocol (IMAP, POP3, the Gmail API, Microsoft Graph or EWS), sync, record the
/// outcome on the mailbox.
/// </summary>
internal sealed class MailboxSyncRunner(
    IAccountStore accounts,
    MailboxSync sync,
    Pop3Sync pop3Sync,
    GmailApiSync gmailApiSync,
    GraphSync graphSync,
    EwsSync ewsSync,
    MailboxCredentials credentials,
    ImapConnector imap,
    Pop3Connector pop3,
    GmailApiConnector gmailApi,
    GraphConnector graph,
    EwsConnector ews,
    TimeProvider time,
    ILogger<MailboxSyncRunner> logger)
{
    /// <summary>Counters of the last session, for tests that assert what went over the wire.</summary>
    public SessionCounters? LastCounters { get; private set; }

    /// <summary>Opens an authenticated IMAP session with the mailbox's password or (refreshed) OAuth token.</summary>
    public Task<IMailboxSession> ConnectAsync(MailboxRecord mailbox, CancellationToken cancellationToken) =>
        credentials.ConnectAsync(mailbox, (credential, ct) => imap.ConnectAsync(mailbox.Settings, credential, ct), cancellationToken);

    /// <summary>Opens an authenticated POP3 session with the mailbox's password or (refreshed) OAuth token.</summary>
    public Task<IPop3Session> ConnectPop3Async(MailboxRecord mailbox, CancellationToken cancellationToken) =>
        credentials.ConnectAsync(mailbox, (credential, ct) => pop3.ConnectAsync(mailbox.Settings, credential, ct), cancellationToken);

    /// <summary>
    /// A Gmail API session with the mailbox's OAuth token, refreshed when Google refuses it (once; refused again, or
    /// the grant is dead, the mailbox needs authorizing again).
    /// </summary>
    public Task<IGmailApiSession> ConnectGmailApiAsync(MailboxRecord mailbox, CancellationToken cancellationToken)
    {
        if (mailbox.Settings.OAuthProvider is null)
            throw new ConnectorException(ConnectorErrorKind.Misconfigured, $"Mailbox {mailbox.Name} uses the Gmail API, which needs OAuth2 (account add --gmail-api --oauth PROVIDER).");
        return gmailApi.ConnectAsync(mailbox.Id, async (rejected, ct) => (await credentials.GetAccessTokenAsync(mailbox, rejected, ct)).Credential.Secret,
            canRefresh: true, verify: false, cancellationToken);
    }

    /// <summary>
    /// A Microsoft Graph session (<c>/me</c>) with the mailbox's OAuth token, refreshed when Graph refuses it (once;
    /// refused again, or the grant is dead, the mailbox needs authorizing again).
    /// </summary>
    public Task<IGraphSession> ConnectGraphAsync(MailboxRecord mailbox, CancellationToken cancellationToken)
    {
        if (mailbox.Settings.OAuthProvider is null)
            throw new ConnectorException(ConnectorErrorKind.Misconfigured, $"Mailbox {mailbox.Name} uses Microsoft Graph, which needs OAuth2 (account add --graph --oauth PROVIDER).");
        return Task.FromResult(graph.Open(mailbox.Id, credentials.GraphUser(mailbox.Settings),
            async (rejected, ct) => (await credentials.GetAccessTokenAsync(mailbox, rejected, ct)).Credential.Secret, canRefresh: true));
    }

    /// <summary>An EWS session with the mailbox's password (Basic or NTLM, as it was added); a refusal is auth_failed.</summary>
    public Task<IEwsSession> ConnectEwsAsync(MailboxRecord mailbox, CancellationToken cancellationToken) =>
        credentials.ConnectAsync(mailbox,
            (credential, ct) => ews.ConnectAsync(mailbox.Id, EwsAccount.For(mailbox.Settings, credential.Secret), verify: false, ct), cancellationToken);

    /// <summary>Archives (<c>mailroom import</c>) have no server: nothing syncs them.</summary>
    public static bool HasServer(MailboxRecord mailbox) => mailbox.Protocol switch
    {
        MailboxProtocol.Imap or MailboxProtocol.Pop3 or MailboxProtocol.GmailApi or MailboxProtocol.Graph or MailboxProtocol.Ews => true,
        MailboxProtocol.Archive => false,
    };

    /// <summary>
    /// After a sync, for a mailbox whose login is no address and that was given none: its address is the From that
    /// dominates its Sent folder, once there is one.
    /// </summary>
    public async Task LearnAddressAsync(MailboxRecord mailbox, CancellationToken cancellationToken)
    {
        if (mailbox.Settings.Address is null && await accounts.LearnAddressFromSentAsync(mailbox.Id, cancellationToken) is { } address)
            Log.AddressLearned(logger, mailbox.Name, address);
    }

    public async Task<SyncSummary> RunAsync(MailboxRecord mailbox, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["MailboxId"] = mailbox.Id, ["Mailbox"] = mailbox.Name });
        Log.SyncStarted(logger, mailbox.Name);
        try
        {
            var summary = mailbox.Protocol switch
            {
                MailboxProtocol.Imap => await RunImapAsync(mailbox, progress, cancellationToken),
                MailboxProtocol.Pop3 => await RunPop3Async(mailbox, progress, cancellationToken),
                MailboxProtocol.GmailApi => await RunGmailApiAsync(mailbox, progress, cancellationToken),
                MailboxProtocol.Graph => await RunGraphAsync(mailbox, progress, cancellationToken),
                MailboxProtocol.Ews => await RunEwsAsync(mailbox, progress, cancellationToken),
                MailboxProtocol.Archive => throw new InvalidOperationException($"Mailbox {mailbox.Name} is an import archive; it has no server to sync with."),
            };

            var state = summary.FolderErrors.Count == 0 ? MailboxState.Ok : MailboxState.Partial;
            var error = summary.FolderErrors.Count == 0 ? null : string.Join("; ", summary.FolderErrors);
            await accounts.SetMailboxStateAsync(mailbox.Id, state, error, time.GetUtcNow(), cancellationToken);
            Log.SyncFinished(logger, mailbox.Name, summary.MessagesFetched, summary.Elapsed.TotalSeconds);
            await LearnAddressAsync(mailbox, cancellationToken);
            return summary;
        }
        catch (ConnectorException ex)
        {
            var state = MailboxStates.For(ex.Kind);
            Log.SyncFailed(logger, mailbox.Name, EnumWords.Of(ex.Kind), ex.Message);
            await accounts.SetMailboxStateAsync(mailbox.Id, state, ex.Message, time.GetUtcNow(), CancellationToken.None);
            throw;
        }
    }

    private async Task<SyncSummary> RunImapAsync(MailboxRecord mailbox, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        await using var session = await ConnectAsync(mailbox, cancellationToken);
        LastCounters = session.Counters;
        return await sync.RunAsync(mailbox.Id, session, progress, cancellationToken);
    }

    private async Task<SyncSummary> RunGmailApiAsync(MailboxRecord mailbox, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        await using var session = await ConnectGmailApiAsync(mailbox, cancellationToken);
        LastCounters = session.Counters;
        return await gmailApiSync.RunAsync(mailbox.Id, session, progress, cancellationToken);
    }

    private async Task<SyncSummary> RunGraphAsync(MailboxRecord mailbox, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        await using var session = await ConnectGraphAsync(mailbox, cancellationToken);
        LastCounters = session.Counters;
        return await graphSync.RunAsync(mailbox.Id, session, progress, cancellationToken);
    }

    private async Task<SyncSummary> RunEwsAsync(MailboxRecord mailbox, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        await using var session = await ConnectEwsAsync(mailbox, cancellationToken);
        LastCounters = session.Counters;
        return await ewsSync.RunAsync(mailbox.Id, session, progress, cancellationToken);
    }

    private async Task<SyncSummary> RunPop3Async(MailboxRecord mailbox, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        await using var session = await ConnectPop3Async(mailbox, cancellationToken);
        LastCounters = session.Counters;
        return await pop3Sync.RunAsync(mailbox.Id, session, progress, cancellationToken);
    }
}
