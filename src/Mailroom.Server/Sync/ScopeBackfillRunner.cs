using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;

namespace Mailroom.Server.Sync;

/// <summary>
/// After a contact gains addresses: for every IMAP mailbox of the organization with privacy scope "contacts" that
/// skipped messages, connects and fetches the skipped ones that name those addresses (<see cref="ScopeBackfill"/>).
/// </summary>
internal sealed class ScopeBackfillRunner(IAccountStore accounts, MailboxSyncRunner connector, ScopeBackfill backfill)
{
    /// <summary>One line per mailbox that was asked: what was fetched, or why it failed.</summary>
    public async Task<IReadOnlyList<(MailboxRecord Mailbox, long Fetched, string? Error)>> RunAsync(
        long organizationId, IReadOnlyCollection<string> addresses, CancellationToken cancellationToken)
    {
        var results = new List<(MailboxRecord, long, string?)>();
        if (addresses.Count == 0)
            return results;
        foreach (var mailbox in await accounts.ListMailboxesAsync(cancellationToken))
        {
            if (mailbox.OrganizationId != organizationId || mailbox.Settings.Scope != MailboxScope.Contacts
                || mailbox.Protocol != MailboxProtocol.Imap
                || !await backfill.HasSkippedAsync(mailbox.Id, cancellationToken))
                continue;
            try
            {
                await using var session = await connector.ConnectAsync(mailbox, cancellationToken);
                results.Add((mailbox, await backfill.RunAsync(mailbox.Id, session, addresses, cancellationToken), null));
            }
            catch (ConnectorException ex)
            {
                results.Add((mailbox, 0, ex.Message));
            }
        }

        return results;
    }
}
