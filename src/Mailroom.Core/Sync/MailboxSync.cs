using System.Collections.Concurrent;
using System.Diagnostics;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync.Gmail;

namespace Mailroom.Core.Sync;

/// <summary>
/// A complete, resumable sync of one mailbox: every selectable folder except the skipped roles, every message
/// the store lacks fetched newest first, flags brought up to date, vanished UIDs removed. Each stored batch is a
/// checkpoint, so a run that is killed and started again fetches only what is still missing.
/// </summary>
/// <param name="gmailLabels">With it, a server offering X-GM-EXT-1 is synced by <see cref="GmailSync"/>.</param>
public sealed class MailboxSync(IMessageStore store, TimeProvider time, SyncOptions options, IGmailLabelStore? gmailLabels = null)
{
    // Per mailbox, so that what a cut connection taught (smaller batches) holds for the reconnect that follows.
    private readonly ConcurrentDictionary<long, FetchBatchSizer> _sizers = new();

    public Task<SyncSummary> RunAsync(
        long mailboxId, IMailboxSession session, IProgress<SyncProgress>? progress, CancellationToken cancellationToken) =>
        RunAsync(mailboxId, session, progress, onlyFolders: null, cancellationToken);

    /// <summary>As above, limited to the folders named (after IDLE reported a change in one of them).</summary>
    public async Task<SyncSummary> RunAsync(
        long mailboxId, IMailboxSession session, IProgress<SyncProgress>? progress,
        IReadOnlyCollection<string>? onlyFolders, CancellationToken cancellationToken)
    {
        var sizer = _sizers.GetOrAdd(mailboxId, _ => new FetchBatchSizer(options.BatchSize, options.BatchBytes));

        // Gmail: All Mail holds every message once; labels are memberships (any change means All Mail changed).
        if (session is IGmailSession { HasGmailExtensions: true } gmail && gmailLabels is not null)
            return await new GmailSync(store, gmailLabels, time, options) { Sizer = sizer }.RunAsync(mailboxId, gmail, progress, cancellationToken);

        var started = Stopwatch.GetTimestamp();
        var errors = new List<string>();
        var counts = new PlanCounts();

        var plans = new List<FolderPlan>();
        string? selected = null; // the folder the session has open; a failed SELECT leaves none (RFC 3501 §6.3.1)
        var folders = await session.ListFoldersAsync(cancellationToken);
        if (onlyFolders is null)
            counts.FoldersRemoved = await RemoveVanishedFoldersAsync(mailboxId, folders, cancellationToken);
        foreach (var remote in OrderForSync(folders))
        {
            if (onlyFolders is not null && !onlyFolders.Contains(remote.Path))
                continue;
            try
            {
                selected = null;
                plans.Add(await PlanFolderAsync(mailboxId, session, remote, counts, cancellationToken));
                selected = remote.Path;
            }
            catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.CommandFailed)
            {
                errors.Add($"{remote.Path}: {ex.Message}");
                await store.RecordFolderErrorAsync(mailboxId, remote.Path, ex.Message, time.GetUtcNow(), cancellationToken);
            }
        }

        var total = plans.Sum(p => (long)p.ToFetch.Count);
        var withWork = plans.Where(p => p.ToFetch.Count > 0).ToList();
        var pipeline = new FolderFetchPipeline(store, options, sizer: sizer);
        long done = 0, bytes = 0;
        foreach (var plan in plans)
        {
            if (plan.ToFetch.Count > 0)
            {
                // The last folder planned is still selected: no second SELECT (the common case after IDLE).
                if (plan.Folder.Path != selected)
                {
                    selected = null;
                    var status = await session.OpenFolderAsync(plan.Folder.Path, cancellationToken);
                    selected = plan.Folder.Path;
                    if (status.UidValidity != plan.Status.UidValidity)
                    {
                        const string changed = "UIDVALIDITY changed during the sync; it is synced on the next run.";
                        errors.Add($"{plan.Folder.Path}: {changed}");
                        await store.RecordFolderErrorAsync(mailboxId, plan.Folder.Path, changed, time.GetUtcNow(), cancellationToken);
                        continue;
                    }
                }

                var index = withWork.IndexOf(plan) + 1;
                var baseDone = done;
                var baseBytes = bytes;
                var (stored, storedBytes) = await pipeline.RunAsync(plan, session, (n, b) =>
                    progress?.Report(new SyncProgress(plan.Folder.Path, index, withWork.Count, baseDone + n, total, baseBytes + b)),
                    cancellationToken);
                done += stored;
                bytes += storedBytes;
            }

            await store.CompleteFolderSyncAsync(plan.Folder.Id, plan.Status, time.GetUtcNow(), cancellationToken);
        }

        return new SyncSummary(
            plans.Count, done, bytes, counts.FlagsUpdated, counts.Removed, counts.Resets,
            Stopwatch.GetElapsedTime(started), errors)
        {
            Plans = counts.Kinds.ToDictionary(k => k.Folder, k => k.Kind),
            MessagesRecognized = counts.Recognized,
            FoldersRemoved = counts.FoldersRemoved,
        };
    }

    private async Task<FolderPlan> PlanFolderAsync(
        long mailboxId, IMailboxSession session, RemoteFolder remote, PlanCounts counts, CancellationToken cancellationToken)
    {
        var folder = await store.UpsertFolderAsync(mailboxId, remote, cancellationToken);
        var status = await session.OpenFolderAsync(remote.Path, cancellationToken);
        // Only the count first: an unchanged folder of any size is decided without reading its memberships.
        var storedCount = await store.CountMembershipsAsync(folder.Id, cancellationToken);
        var kind = SyncPlanner.Plan(folder, storedCount, status, session.ChangeTracking);
        counts.Kinds.Add((remote.Path, kind));

        IReadOnlyDictionary<uint, StoredMembership> stored; // the stored memberships this plan looks at
        IReadOnlyList<RemoteMessageState> changed = [];
        HashSet<uint>? onServer = null; // every UID on the server, when it had to be asked for
        HashSet<uint> vanished = [];
        switch (kind)
        {
            case SyncPlanKind.NothingToDo:
                return new FolderPlan(folder, status, []);

            case SyncPlanKind.QResyncChanges or SyncPlanKind.CondStoreChanges when status.Count == 0:
                stored = await store.GetMembershipsAsync(folder.Id, cancellationToken);
                onServer = []; // emptied: nothing to ask
                break;

            case SyncPlanKind.QResyncChanges or SyncPlanKind.CondStoreChanges:
                var changes = await session.FetchChangesAsync(folder.HighestModSeq!.Value, cancellationToken);
                changed = changes.Changed;
                // Read only the memberships the answer names: the cost follows the changes, not the folder.
                var named = changed.Select(s => s.Uid).Concat(changes.Vanished ?? []).ToHashSet();
                stored = await store.GetMembershipsAsync(folder.Id, named, cancellationToken);
                vanished = changes.Vanished is null ? [] : [.. changes.Vanished.Where(stored.ContainsKey)];
                // Arrivals all carry a new mod-sequence. If the count still does not add up, something was expunged
                // that the server did not name (CONDSTORE alone cannot): one UID SEARCH finds it.
                var arrived = changed.Count(s => !stored.ContainsKey(s.Uid));
                if (storedCount + arrived - vanished.Count != status.Count)
                {
                    onServer = [.. await session.SearchUidsAsync(cancellationToken)];
                    stored = await store.GetMembershipsAsync(folder.Id, cancellationToken);
                }
                break;

            case SyncPlanKind.UidValidityReset:
                if (folder.UidValidity is not null)
                    counts.Resets++;
                await store.ResetFolderAsync(folder.Id, status.UidValidity, cancellationToken);
                folder = folder with { UidValidity = status.UidValidity, UidNext = null, HighestModSeq = null };
                stored = new Dictionary<uint, StoredMembership>();
                // Nothing stored to compare flags with (each body fetch brings its flags): the UIDs alone, which an
                // ESEARCH server answers as a few ranges. A first sync of 100,000 messages starts that much sooner.
                onServer = [.. await session.SearchUidsAsync(cancellationToken)];
                break;

            default:
                stored = await store.GetMembershipsAsync(folder.Id, cancellationToken);
                changed = await session.FetchStatesAsync(cancellationToken);
                onServer = [.. changed.Select(s => s.Uid)];
                break;
        }

        var flagChanges = changed
            .Where(s => stored.TryGetValue(s.Uid, out var m) && (m.Flags != s.Flags || !m.Keywords.SequenceEqual(s.Keywords)))
            .ToList();
        if (flagChanges.Count > 0)
            await store.UpdateFlagsAsync(folder.Id, flagChanges, cancellationToken);

        var gone = onServer is null ? [.. vanished] : stored.Keys.Where(uid => !onServer.Contains(uid)).ToList();
        if (gone.Count > 0)
            await store.RemoveMembershipsAsync(folder.Id, gone, cancellationToken);

        // New: on the server (or, when no UID list was needed, reported changed) and not stored, newest first;
        // inside the sync window if there is one.
        var toFetch = (onServer ?? changed.Select(s => s.Uid)).Where(uid => !stored.ContainsKey(uid)).OrderDescending().ToList();
        if (options.Since is { } since && toFetch.Count > 0)
        {
            var inWindow = (await session.SearchUidsSinceAsync(since, cancellationToken)).ToHashSet();
            toFetch.RemoveAll(uid => !inWindow.Contains(uid));
        }

        // A folder seen anew (re-created, renamed, or given a new UIDVALIDITY) mostly holds messages already stored:
        // recognize them from their Message-ID and size instead of downloading them again.
        if (kind == SyncPlanKind.UidValidityReset && toFetch.Count > 0 && await store.HasMessagesAsync(mailboxId, cancellationToken))
            counts.Recognized += await AttachKnownCopiesAsync(mailboxId, folder.Id, session, toFetch, cancellationToken);

        counts.FlagsUpdated += flagChanges.Count;
        counts.Removed += gone.Count;
        return new FolderPlan(folder, status, toFetch);
    }

    /// <summary>
    /// Fetches Message-ID and size of <paramref name="toFetch"/>, adds memberships for the ones that match exactly one
    /// stored message of the same size, and removes those from <paramref name="toFetch"/>. Returns how many matched.
    /// </summary>
    private async Task<int> AttachKnownCopiesAsync(
        long mailboxId, long folderId, IMailboxSession session, List<uint> toFetch, CancellationToken cancellationToken)
    {
        var attached = new HashSet<uint>();
        foreach (var chunk in toFetch.Chunk(RecognizeBatch))
        {
            var summaries = await session.FetchSummariesAsync(chunk, cancellationToken);
            var ids = summaries.Where(s => s.MessageId is not null).Select(s => s.MessageId!).ToHashSet(StringComparer.Ordinal);
            if (ids.Count == 0)
                continue;
            var copies = (await store.FindCopiesAsync(mailboxId, ids, cancellationToken)).ToLookup(c => (c.MessageIdHeader, c.Size));
            var memberships = new List<StoredMembership>();
            foreach (var summary in summaries)
            {
                if (summary.MessageId is null || copies[(summary.MessageId, summary.Size)].ToList() is not [var copy])
                    continue;
                memberships.Add(new StoredMembership(copy.MessageId, summary.Uid, summary.Flags, summary.Keywords, copy.RawSha256));
                attached.Add(summary.Uid);
            }
            if (memberships.Count > 0)
                await store.AddMembershipsAsync(folderId, memberships, cancellationToken);
        }

        toFetch.RemoveAll(attached.Contains);
        return attached.Count;
    }

    /// <summary>Stored folders the server no longer lists (deleted or renamed there) go, with their memberships.</summary>
    private async Task<int> RemoveVanishedFoldersAsync(long mailboxId, IReadOnlyList<RemoteFolder> folders, CancellationToken cancellationToken)
    {
        var onServer = folders.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var removed = 0;
        foreach (var folder in await store.ListFoldersAsync(mailboxId, cancellationToken))
        {
            if (onServer.Contains(folder.Path))
                continue;
            await store.RemoveFolderAsync(folder.Id, cancellationToken);
            removed++;
        }
        return removed;
    }

    /// <summary>INBOX first, then Sent (recent conversations are usable soonest), then the rest by path.</summary>
    private IEnumerable<RemoteFolder> OrderForSync(IReadOnlyList<RemoteFolder> folders) =>
        folders
            .Select(f => f.Role == FolderRole.None ? f with { Role = FolderRoleNames.Guess(f.Path, f.Delimiter) } : f)
            .Where(f => f.CanSelect && !options.SkippedRoles.Contains(f.Role))
            .Where(f => (options.Folders.Count == 0 || options.Folders.Any(p => FolderMatches(f, p)))
                && !options.ExcludeFolders.Any(p => FolderMatches(f, p)))
            .OrderBy(f => f.Role switch { FolderRole.Inbox => 0, FolderRole.Sent => 1, _ => 2 })
            .ThenBy(f => f.Path, StringComparer.Ordinal);

    /// <summary>An exact path, or <c>Parent/*</c> (with the server's delimiter or '/') for everything below Parent.</summary>
    private static bool FolderMatches(RemoteFolder folder, string pattern)
    {
        if (string.Equals(folder.Path, pattern, StringComparison.Ordinal)
            || (pattern.Equals("INBOX", StringComparison.OrdinalIgnoreCase) && folder.Role == FolderRole.Inbox))
            return true;
        if (!pattern.EndsWith("/*", StringComparison.Ordinal))
            return false;
        var parent = pattern[..^2];
        if (folder.Delimiter is { } d)
            parent = parent.Replace('/', d);
        return folder.Path.StartsWith(parent + (folder.Delimiter ?? '/'), StringComparison.Ordinal);
    }

    private const int RecognizeBatch = 5_000;

    private sealed class PlanCounts
    {
        public long Recognized { get; set; }
        public int FoldersRemoved { get; set; }
        public long FlagsUpdated { get; set; }
        public long Removed { get; set; }
        public long Resets { get; set; }
        public List<(string Folder, SyncPlanKind Kind)> Kinds { get; } = [];
    }
}
