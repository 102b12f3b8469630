using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sync.Ews;

public sealed partial class EwsSync
{
    /// <summary>
    /// One folder's SyncFolderItems, page after page (MaxChangesReturned). From a stored state, each page's changes and
    /// its new state are written in one transaction, so a crash repeats at most one page and changes nothing twice.
    /// From no state (the first sync, or a state Exchange refuses: a reconcile), the listing is the whole folder: new
    /// items are stored page by page, but the state is written only at the end with the removal of what the store
    /// holds and the listing lacks; a crash lists again from the start, downloading nothing already stored.
    /// Each new item is recognised before it is downloaded: by its ItemId in the folder, then by its Message-ID and
    /// size anywhere in the mailbox (a move: Exchange gave it a new id), else its MIME comes with GetItem, in batches.
    /// </summary>
    private async Task<SyncPlanKind> SyncFolderAsync(
        IEwsSession session, GraphFolderState state, int index, int count, Totals totals, IProgress<SyncProgress>? progress,
        CancellationToken cancellationToken)
    {
        var folder = state.Folder;
        var syncState = state.DeltaLink;
        var full = syncState is null;
        var next = state.UidNext;
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var fullFlags = new Dictionary<uint, RemoteMessageState>();
        while (true)
        {
            var page = await session.SyncFolderItemsAsync(state.RemoteId, syncState, cancellationToken);
            if (page is null)
            {
                if (full)
                    throw new ConnectorException(ConnectorErrorKind.Transient, $"EWS refused a SyncFolderItems of {folder.Path} from the start.");
                (full, syncState) = (true, null);
                continue;
            }
            if (!full && page.Changes.Count == 0 && page.IncludesLastItemInRange)
                return SyncPlanKind.NothingToDo; // the stored state stays valid: one request, nothing written

            var (removed, flags) = await ApplyPageAsync(session, folder, page, () => next++, full ? listed : null, index, count, totals, progress, cancellationToken);
            syncState = page.SyncState;
            if (full)
            {
                foreach (var f in flags)
                    fullFlags[f.Uid] = f;
            }
            else
            {
                await folders.ApplyGraphChangesAsync(new GraphFolderChanges(folder.Id, removed, flags, syncState, next), cancellationToken);
                totals.Removed += removed.Count;
                totals.Flags += flags.Count;
            }
            if (page.IncludesLastItemInRange)
                break;
        }
        if (!full)
            return SyncPlanKind.QResyncChanges;

        // The whole folder was listed: what the store holds and the listing lacks has left it.
        var gone = (await folders.ListRemoteIdsAsync(folder.Id, cancellationToken)).Where(id => !listed.Contains(id)).ToList();
        await folders.ApplyGraphChangesAsync(new GraphFolderChanges(folder.Id, gone, [.. fullFlags.Values], syncState!, next), cancellationToken);
        totals.Removed += gone.Count;
        totals.Flags += fullFlags.Count;
        return SyncPlanKind.FullReconcile;
    }

    /// <summary>
    /// Stores the page's new items (attached when known, else downloaded) and returns what is left to write with the
    /// page's state: the ids that left the folder, and the read flags of items already stored.
    /// </summary>
    private async Task<(List<string> Removed, List<RemoteMessageState> Flags)> ApplyPageAsync(
        IEwsSession session, StoredFolder folder, EwsItemPage page, Func<uint> nextUid, HashSet<string>? listed, int index, int count,
        Totals totals, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        // The last change of each item counts (a page may hold a Create and a later ReadFlagChange of one item).
        var last = new Dictionary<string, EwsItemChange>(StringComparer.Ordinal);
        foreach (var change in page.Changes)
            last[change.ItemId] = change;
        var removed = last.Values.Where(c => c.Kind == EwsChangeKind.Delete).Select(c => c.ItemId).ToList();
        var present = last.Values.Where(c => c.Kind != EwsChangeKind.Delete).ToList();
        listed?.UnionWith(present.Select(c => c.ItemId));

        var known = await folders.FindRemoteIdsAsync(folder.Id, [.. present.Select(c => c.ItemId)], cancellationToken);
        var flags = new List<RemoteMessageState>(present.Count);
        var added = new List<(uint Uid, EwsItemChange Change)>();
        foreach (var change in present)
        {
            if (known.TryGetValue(change.ItemId, out var uid))
            {
                if (change.IsRead is { } read)
                    flags.Add(new RemoteMessageState(uid, EwsFolders.Flags(read), []));
            }
            else
            {
                added.Add((nextUid(), change));
            }
        }

        // Moved here (a new ItemId, the same Message-ID and size): the stored message gets a membership, no download.
        var attached = (await localUids.AttachKnownAsync(folder.Id,
            [.. added.Select(a => new Pop3KnownMessage(a.Uid, a.Change.ItemId, "p:" + EwsFolders.ProviderId(a.Change.ItemId, a.Change.InternetMessageId, a.Change.Size)))],
            cancellationToken)).ToHashSet(StringComparer.Ordinal);
        totals.Recognized += attached.Count;
        foreach (var (uid, change) in added.Where(a => attached.Contains(a.Change.ItemId)))
        {
            if (change.IsRead is { } read)
                flags.Add(new RemoteMessageState(uid, EwsFolders.Flags(read), []));
        }

        var fetch = added.Where(a => !attached.Contains(a.Change.ItemId)).ToList();
        if (fetch.Count > 0)
            await DownloadAsync(session, folder, fetch, index, count, totals, progress, cancellationToken);
        return (removed, flags);
    }

    private async Task DownloadAsync(
        IEwsSession session, StoredFolder folder, List<(uint Uid, EwsItemChange Change)> fetch, int index, int count, Totals totals,
        IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var byUid = fetch.ToDictionary(f => f.Uid, f => f.Change);
        var pipeline = new FolderFetchPipeline(store, options, async (uids, onMessage, ct) =>
        {
            var uidOf = uids.ToDictionary(uid => byUid[uid].ItemId, StringComparer.Ordinal);
            // GetItem in batches (Ews:GetItemBatchSize); items come back in the order asked, one writer for the pipeline.
            await session.GetMimeAsync([.. uids.Select(uid => byUid[uid].ItemId)], async (item, token) =>
            {
                if (!uidOf.TryGetValue(item.ItemId, out var uid))
                    return; // not an id that was asked for: nothing to file it under
                var change = byUid[uid];
                var read = item.IsRead ?? change.IsRead ?? false;
                await onMessage(new FetchedMessage(uid, EwsFolders.Flags(read), [], item.DateTimeReceived ?? change.DateTimeReceived, item.Mime)
                {
                    ProviderId = EwsFolders.ProviderId(change.ItemId, item.InternetMessageId ?? change.InternetMessageId, item.Size ?? change.Size),
                    ProviderThreadId = item.ConversationId ?? change.ConversationId,
                    RemoteId = change.ItemId,
                }, token);
            }, ct);
        });
        var plan = new FolderPlan(folder, new FolderStatus(0, null, null, 0), [.. fetch.Select(f => f.Uid)]);
        var (messages, bytes) = await pipeline.RunAsync(plan, null, (n, b) =>
            progress?.Report(new SyncProgress(folder.Path, index + 1, count, totals.Fetched + n, totals.Fetched + fetch.Count, totals.Bytes + b)), cancellationToken);
        totals.Fetched += messages;
        totals.Bytes += bytes;
    }
}
