using System.Collections.Concurrent;
using System.Diagnostics;
using Mailroom.Core.Connectors;
using Mailroom.Core.Identity;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sync.GmailApi;

/// <summary>
/// Sync of a mailbox through the Gmail REST API into the same shape Gmail over IMAP gives it (see
/// <see cref="IGmailApiStore"/>). With a stored history id, users.history.list brings the changes since (an unchanged
/// mailbox costs that one request); each step's label changes, deletions and new history id are written in one
/// transaction after the new messages it names are stored, so a crash repeats a step and changes nothing twice.
/// Without one, or when Gmail no longer has that history (404), the mailbox is reconciled: the history id is taken
/// first, every id listed, and only messages the store does not hold by identity are downloaded.
/// </summary>
public sealed partial class GmailApiSync(IMessageStore store, IGmailLabelStore labelStore, IGmailApiStore api, SyncOptions options)
{
    /// <summary>Where All Mail lives when Gmail over IMAP has not named it.</summary>
    public const string DefaultAllMailPath = "[Gmail]/All Mail";

    /// <summary>Messages fetched, then labelled, per step of a reconcile: what is stored is usable step by step.</summary>
    internal const int ReconcileChunk = 1000;

    public async Task<SyncSummary> RunAsync(long mailboxId, IGmailApiSession session, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var state = await api.OpenGmailApiFolderAsync(mailboxId, DefaultAllMailPath, cancellationToken);
        var context = new Context(mailboxId, session, state.Folder, state.UidNext, progress) { LabelStore = labelStore, Store = store };
        if (state.HistoryId is { } cursor && await IncrementalAsync(context, cursor, cancellationToken) is { } done)
            return Summary(started, context, done ? SyncPlanKind.NothingToDo : SyncPlanKind.QResyncChanges);

        await ReconcileAsync(context, cancellationToken);
        return Summary(started, context, SyncPlanKind.FullReconcile);
    }

    /// <returns>True when nothing changed, false when changes were applied, null when the history has expired.</returns>
    private async Task<bool?> IncrementalAsync(Context context, ulong cursor, CancellationToken cancellationToken)
    {
        // Every page first: the last change of a message is its state, and the last page's history id the new cursor.
        var last = new Dictionary<string, GmailMessageChange>(StringComparer.Ordinal);
        ulong historyId = cursor;
        string? token = null;
        do
        {
            var page = await context.Session.ListHistoryAsync(cursor, token, cancellationToken);
            if (page is null)
                return null;
            foreach (var change in page.Changes)
                last[change.Id] = change;
            historyId = Math.Max(historyId, page.HistoryId);
            token = page.NextPageToken;
        }
        while (token is not null);

        if (last.Count == 0)
        {
            if (historyId != cursor)
                await api.ApplyGmailChangesAsync(new GmailApiChanges(context.AllMail.Id, [], [], [], [], historyId, null), cancellationToken);
            return true;
        }

        var byKey = new Dictionary<string, GmailMessageChange>(StringComparer.Ordinal);
        foreach (var change in last.Values)
        {
            if (GmailIds.FromApi(change.Id) is { } number)
                byKey[GmailIds.IdentityKey(number)] = change;
        }
        var stored = await api.FindInFolderAsync(context.AllMail.Id, byKey.Keys, cancellationToken);

        var removed = new List<uint>();
        var current = new Dictionary<uint, IReadOnlyList<string>>();
        var toGet = new List<string>();
        foreach (var (key, change) in byKey)
        {
            var outside = change.Deleted || change.LabelIds is null || GmailApiLabels.IsOutside(change.LabelIds);
            if (stored.TryGetValue(key, out var uid))
            {
                if (outside)
                    removed.Add(uid);
                else
                    current[uid] = change.LabelIds!;
            }
            else if (!outside)
            {
                toGet.Add(change.Id);
            }
        }

        // New to the store: attached if the mailbox holds it already (back from Trash), else downloaded.
        await AddAsync(context, toGet, current, id => last.TryGetValue(id, out var c) ? c.LabelIds : null, cancellationToken);
        await ApplyAsync(context, current, removed, historyId, null, cancellationToken);
        return false;
    }

    /// <summary>
    /// Brings messages the store lacks in All Mail into it: those it holds by identity are attached, the rest downloaded
    /// (newest first, as listed). Their labels are added to <paramref name="labels"/>.
    /// </summary>
    private async Task AddAsync(
        Context context, List<string> ids, Dictionary<uint, IReadOnlyList<string>> labels, Func<string, IReadOnlyList<string>?> labelsOf,
        CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
            return;
        var candidates = new List<GmailApiKnownMessage>(ids.Count);
        foreach (var id in ids)
        {
            if (GmailIds.FromApi(id) is { } number)
                candidates.Add(new GmailApiKnownMessage(context.NextUid++, id, GmailIds.IdentityKey(number), Connectors.MessageFlags.None));
        }
        var attached = (await labelStore.AttachKnownAsync(context.AllMail.Id, candidates, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        context.Recognized += attached.Count;
        if (attached.Count > 0)
        {
            // Their labels and flags: from the history record, or from the per-label lists of a reconcile.
            foreach (var k in candidates.Where(c => attached.Contains(c.IdentityKey)))
                labels[k.Uid] = labelsOf(k.RemoteId) ?? [];
        }

        var fetch = candidates.Where(c => !attached.Contains(c.IdentityKey)).ToList();
        if (fetch.Count == 0)
            return;
        var byUid = fetch.ToDictionary(c => c.Uid, c => c.RemoteId);
        var fetchedLabels = new ConcurrentDictionary<uint, IReadOnlyList<string>>();
        var uidOf = fetch.ToDictionary(c => c.RemoteId, c => c.Uid, StringComparer.Ordinal);
        var pipeline = new FolderFetchPipeline(store, options, (uids, onMessage, ct) =>
            context.Session.FetchRawAsync([.. uids.Select(u => byUid[u])], async (message, c) =>
            {
                if (!uidOf.TryGetValue(message.Id, out var uid) || GmailIds.FromApi(message.Id) is not { } number)
                    return;
                if (GmailApiLabels.IsOutside(message.LabelIds))
                    return; // trashed since it was listed: the next history step says so
                fetchedLabels[uid] = message.LabelIds;
                await onMessage(new FetchedMessage(uid, GmailApiLabels.Flags(message.LabelIds), [], message.InternalDate, message.Raw)
                {
                    ProviderId = GmailIds.ProviderId(number),
                    ProviderThreadId = GmailIds.ThreadId(message.ThreadId),
                    RemoteId = message.Id,
                }, c);
            }, ct));
        var plan = new FolderPlan(context.AllMail, new FolderStatus(0, null, null, 0), [.. fetch.Select(c => c.Uid)]);
        var total = context.ToFetch += fetch.Count;
        var before = (context.Fetched, context.Bytes);
        var (messages, bytes) = await pipeline.RunAsync(plan, null, (n, b) =>
            context.Progress?.Report(new SyncProgress(context.AllMail.Path, 1, 1, before.Fetched + n, total, before.Bytes + b)), cancellationToken);
        context.Fetched += messages;
        context.Bytes += bytes;
        foreach (var (uid, l) in fetchedLabels)
            labels[uid] = l;
    }

    /// <summary>Sets the labels and flags of these All Mail UIDs to what the server says, removes the gone, moves the cursor.</summary>
    private async Task ApplyAsync(
        Context context, IReadOnlyDictionary<uint, IReadOnlyList<string>> current, List<uint> removed, ulong? historyId, int? remoteCount,
        CancellationToken cancellationToken)
    {
        var stored = current.Count == 0
            ? new Dictionary<uint, IReadOnlyList<(string Label, long FolderId)>>()
            : await api.GetLabelFoldersAsync(context.MailboxId, [.. current.Keys], cancellationToken);
        var add = new List<GmailLabelMembership>();
        var remove = new List<GmailLabelMembership>();
        var flags = new List<RemoteMessageState>(current.Count);
        foreach (var (uid, labelIds) in current)
        {
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var id in labelIds)
            {
                if (await context.FolderOfAsync(id, cancellationToken) is { } folder)
                {
                    wanted.Add(folder.Label);
                    add.Add(new GmailLabelMembership(folder.Id, uid));
                }
            }
            if (stored.TryGetValue(uid, out var had))
            {
                foreach (var (_, folderId) in had.Where(l => !wanted.Contains(l.Label)))
                    remove.Add(new GmailLabelMembership(folderId, uid));
            }
            flags.Add(new RemoteMessageState(uid, GmailApiLabels.Flags(labelIds), []));
        }
        await api.ApplyGmailChangesAsync(new GmailApiChanges(context.AllMail.Id, removed, add, remove, flags, historyId, remoteCount), cancellationToken);
        context.Removed += removed.Count;
    }

    private static SyncSummary Summary(long started, Context context, SyncPlanKind kind) =>
        new(1, context.Fetched, context.Bytes, 0, context.Removed, 0, Stopwatch.GetElapsedTime(started), [])
        {
            Plans = new Dictionary<string, SyncPlanKind> { [context.AllMail.Path] = kind },
            MessagesRecognized = context.Recognized,
        };
}
