using Mailroom.Connectors.GmailApi;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Server.Sync;

namespace Mailroom.Server.Accounts;

/// <summary>
/// Removes a mailbox (<c>account remove</c>, <c>DELETE /v1/mailboxes/{id}</c>) after telling its provider to stop
/// pushing: a Gmail API mailbox with push calls users.stop while its token still exists, so that Gmail stops
/// publishing changes nobody reads. That is best effort: a provider that cannot be reached does not keep the mailbox
/// (its watch ends within 7 days anyway). Graph subscriptions are deleted by the worker as it stops.
/// </summary>
internal sealed class MailboxRemoval(IAccountStore accounts, MailboxSyncRunner runner, GmailOptions gmail, TimeProvider time, ILogger<MailboxRemoval> logger)
{
    public async Task<bool> RemoveAsync(MailboxRecord mailbox, CancellationToken cancellationToken)
    {
        if (mailbox.Protocol == MailboxProtocol.GmailApi && gmail.PushEnabled)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30), time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                await using var session = await runner.ConnectGmailApiAsync(mailbox, linked.Token);
                await session.StopAsync(linked.Token);
            }
            catch (Exception ex) when (ex is ConnectorException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                Log.PushStopFailed(logger, mailbox.Name, ex.Message);
            }
        }
        return await accounts.RemoveMailboxAsync(mailbox.Id, cancellationToken);
    }
}
