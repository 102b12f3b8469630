using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sync;

/// <summary>
/// Privacy scope "contacts", when a contact is added or gains addresses: asks the server, in each folder where
/// messages were skipped, which of them name the new addresses, and fetches those through the usual pipeline (which
/// stores them now that they involve a contact, and links them). Skipped messages that the search matched only as a
/// substring stay skipped.
/// </summary>
public sealed class ScopeBackfill(IMessageStore store, ISkippedMessageStore skipped, SyncOptions options)
{
    /// <summary>Whether the mailbox has skipped messages at all (no connection is needed otherwise).</summary>
    public async Task<bool> HasSkippedAsync(long mailboxId, CancellationToken cancellationToken) =>
        (await skipped.GetSkippedAsync(mailboxId, cancellationToken)).Count > 0;

    /// <summary>Fetches the skipped messages that name any of <paramref name="addresses"/>; returns how many were fetched.</summary>
    public async Task<long> RunAsync(
        long mailboxId, IMailboxSession session, IReadOnlyCollection<string> addresses, CancellationToken cancellationToken)
    {
        if (addresses.Count == 0)
            return 0;
        if (session is not IAddressSearch search)
            throw new ConnectorException(ConnectorErrorKind.Misconfigured, "This connection cannot search by address.");

        var folders = (await store.ListFoldersAsync(mailboxId, cancellationToken)).ToDictionary(f => f.Id);
        var pipeline = new FolderFetchPipeline(store, options);
        long fetched = 0;
        foreach (var folder in await skipped.GetSkippedAsync(mailboxId, cancellationToken))
        {
            var status = await session.OpenFolderAsync(folder.Path, cancellationToken);
            if (status.UidValidity != folder.UidValidity || !folders.TryGetValue(folder.FolderId, out var stored))
                continue; // the folder was reset on the server: its next sync starts it over
            var candidates = folder.Uids.ToHashSet();
            var matches = (await search.SearchUidsByAddressAsync(addresses, cancellationToken))
                .Where(candidates.Contains).OrderDescending().ToList();
            if (matches.Count == 0)
                continue;
            var (messages, _) = await pipeline.RunAsync(new FolderPlan(stored, status, matches), session, (_, _) => { }, cancellationToken);
            fetched += messages;
        }

        return fetched;
    }
}
