using System.Diagnostics;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sync.Graph;

/// <summary>
/// Sync of a mailbox through Microsoft Graph: the folder tree (roles from well-known names), then each folder's message
/// delta from its stored delta link, every page followed. New messages are stored first (a move attaches the stored
/// message, known by its immutable id; only the rest is downloaded from $value); then removals, flags and the new delta
/// link are written in one transaction, so a crash repeats a folder's step and changes nothing twice. A delta token
/// Graph no longer knows (410) reconciles the folder: the full listing is compared with the store, nothing known is
/// downloaded again. An unchanged folder costs its one delta request.
/// </summary>
public sealed class GraphSync(IMessageStore store, IPop3Store localUids, IGraphStore graph, SyncOptions options)
{
    public async Task<SyncSummary> RunAsync(long mailboxId, IGraphSession session, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var listed = session.ListFoldersAsync(cancellationToken);
        var wellKnown = await session.GetWellKnownFolderIdsAsync(cancellationToken);
        var plans = GraphFolders.Plan(await listed, wellKnown);
        var folders = await graph.OpenGraphFoldersAsync(mailboxId, plans, cancellationToken);
        await RemoveVanishedFoldersAsync(mailboxId, plans, folders, cancellationToken);

        var totals = new Totals();
        var kinds = new Dictionary<string, SyncPlanKind>(StringComparer.Ordinal);
        var errors = new List<string>();
        for (var i = 0; i < folders.Count; i++)
        {
            try
            {
                kinds[folders[i].Folder.Path] = await SyncFolderAsync(session, folders[i], i, folders.Count, totals, progress, cancellationToken);
            }
            catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.CommandFailed)
            {
                // One folder Graph refuses (gone since it was listed, say) does not stop the others.
                errors.Add($"{folders[i].Folder.Path}: {ex.Message}");
            }
        }
        return new SyncSummary(folders.Count, totals.Fetched, totals.Bytes, totals.Flags, totals.Removed, 0, Stopwatch.GetElapsedTime(started), errors)
        {
            Plans = kinds,
            MessagesRecognized = totals.Recognized,
        };
    }

    /// <summary>
    /// Stored folders Graph no longer lists (deleted, or moved under Deleted Items) go with their memberships: a
    /// message held only there is deleted (message.deleted), one held elsewhere too only changes folders. A renamed
    /// folder is not among them (its id is the same: <see cref="IGraphStore.OpenGraphFoldersAsync"/> moved its path).
    /// A tree without an inbox is not believed: nothing is removed on its word.
    /// </summary>
    private async Task RemoveVanishedFoldersAsync(
        long mailboxId, IReadOnlyList<GraphFolderPlan> plans, IReadOnlyList<GraphFolderState> folders, CancellationToken cancellationToken)
    {
        if (!plans.Any(p => p.Role == FolderRole.Inbox))
            return;
        var kept = folders.Select(f => f.Folder.Id).ToHashSet();
        foreach (var stored in await store.ListFoldersAsync(mailboxId, cancellationToken))
        {
            if (!kept.Contains(stored.Id))
                await store.RemoveFolderAsync(stored.Id, cancellationToken);
        }
    }

    private async Task<SyncPlanKind> SyncFolderAsync(
        IGraphSession session, GraphFolderState state, int index, int count, Totals totals, IProgress<SyncProgress>? progress,
        CancellationToken cancellationToken)
    {
        var folder = state.Folder;
        var (changes, deltaLink, full) = await ReadDeltaAsync(session, state, cancellationToken);
        if (!full && changes.Count == 0)
        {
            if (!string.Equals(deltaLink, state.DeltaLink, StringComparison.Ordinal))
                await graph.ApplyGraphChangesAsync(new GraphFolderChanges(folder.Id, [], [], deltaLink, state.UidNext), cancellationToken);
            return SyncPlanKind.NothingToDo;
        }

        var present = changes.Values.Where(c => !c.Removed).ToList();
        var removed = changes.Values.Where(c => c.Removed).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var known = await graph.FindRemoteIdsAsync(folder.Id, [.. present.Select(c => c.Id)], cancellationToken);
        if (full)
        {
            // A reconcile: what the store holds and the full listing lacks left the folder while the token was lost.
            var listedIds = present.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            removed.UnionWith((await graph.ListRemoteIdsAsync(folder.Id, cancellationToken)).Where(id => !listedIds.Contains(id)));
        }

        var next = state.UidNext;
        var flags = new List<RemoteMessageState>(present.Count);
        var added = new List<(uint Uid, GraphMessageChange Change)>();
        foreach (var change in present)
        {
            if (known.TryGetValue(change.Id, out var uid))
                flags.Add(new RemoteMessageState(uid, GraphFolders.Flags(change), GraphFolders.Keywords(change)));
            else
                added.Add((next++, change));
        }

        // Moved here from another folder (or back): the stored message gets a membership here, no download.
        var attached = (await localUids.AttachKnownAsync(folder.Id,
            [.. added.Select(a => new Pop3KnownMessage(a.Uid, a.Change.Id, "p:" + GraphFolders.ProviderId(a.Change.Id)))], cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        totals.Recognized += attached.Count;
        foreach (var (uid, change) in added.Where(a => attached.Contains(a.Change.Id)))
            flags.Add(new RemoteMessageState(uid, GraphFolders.Flags(change), GraphFolders.Keywords(change)));

        var fetch = added.Where(a => !attached.Contains(a.Change.Id)).ToList();
        if (fetch.Count > 0)
            await DownloadAsync(session, folder, fetch, index, count, totals, progress, cancellationToken);

        await graph.ApplyGraphChangesAsync(new GraphFolderChanges(folder.Id, removed, flags, deltaLink, next), cancellationToken);
        totals.Removed += removed.Count;
        totals.Flags += flags.Count;
        return full ? SyncPlanKind.FullReconcile : SyncPlanKind.QResyncChanges;
    }

    /// <summary>Every page of the folder's delta, the last change of each message kept; from the start when the token is gone.</summary>
    private static async Task<(Dictionary<string, GraphMessageChange> Changes, string DeltaLink, bool Full)> ReadDeltaAsync(
        IGraphSession session, GraphFolderState state, CancellationToken cancellationToken)
    {
        var full = state.DeltaLink is null;
        var link = state.DeltaLink;
        var changes = new Dictionary<string, GraphMessageChange>(StringComparer.Ordinal);
        while (true)
        {
            var page = await session.GetMessageDeltaAsync(state.RemoteId, link, cancellationToken);
            if (page is null)
            {
                if (full)
                    throw new ConnectorException(ConnectorErrorKind.Transient, $"Microsoft Graph refused a delta of {state.Folder.Path} from the start.");
                full = true;
                link = null;
                changes.Clear();
                continue;
            }
            foreach (var change in page.Changes)
                changes[change.Id] = change;
            if (page.DeltaLink is { } delta)
                return (changes, delta, full);
            link = page.NextLink;
        }
    }

    private async Task DownloadAsync(
        IGraphSession session, StoredFolder folder, List<(uint Uid, GraphMessageChange Change)> fetch, int index, int count, Totals totals,
        IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var byUid = fetch.ToDictionary(f => f.Uid, f => f.Change);
        var pipeline = new FolderFetchPipeline(store, options, async (uids, onMessage, ct) =>
        {
            // Twenty in one $batch request (Graph's limit; Exchange runs them 4 at a time), delivered in order: the
            // pipeline takes one writer.
            foreach (var chunk in uids.Chunk(20))
            {
                var bodies = await session.GetMimeBatchAsync([.. chunk.Select(uid => byUid[uid].Id)], ct);
                for (var i = 0; i < chunk.Length; i++)
                {
                    if (bodies[i] is not { } raw)
                        continue; // deleted since it was listed: the next delta says so
                    var change = byUid[chunk[i]];
                    await onMessage(new FetchedMessage(chunk[i], GraphFolders.Flags(change), GraphFolders.Keywords(change), change.ReceivedDateTime, raw)
                    {
                        ProviderId = GraphFolders.ProviderId(change.Id),
                        ProviderThreadId = change.ConversationId,
                        RemoteId = change.Id,
                    }, ct);
                }
            }
        });
        var plan = new FolderPlan(folder, new FolderStatus(0, null, null, 0), [.. fetch.Select(f => f.Uid)]);
        var (messages, bytes) = await pipeline.RunAsync(plan, null, (n, b) =>
            progress?.Report(new SyncProgress(folder.Path, index + 1, count, totals.Fetched + n, totals.Fetched + fetch.Count, totals.Bytes + b)), cancellationToken);
        totals.Fetched += messages;
        totals.Bytes += bytes;
    }

    private sealed class Totals
    {
        public long Fetched { get; set; }
        public long Bytes { get; set; }
        public long Flags { get; set; }
        public long Removed { get; set; }
        public long Recognized { get; set; }
    }
}
