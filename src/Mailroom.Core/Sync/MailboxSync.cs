using System.Diagnostics;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sync;

/// <summary>
/// A complete, resumable sync of one mailbox: every selectable folder except the skipped roles, every message
/// the store lacks fetched newest first, flags brought up to date, vanished UIDs removed. Each stored batch is a
/// checkpoint, so a run that is killed and started again fetches only what is still missing.
/// </summary>
public sealed class MailboxSync(IMessageStore store, TimeProvider time, SyncOptions options)
{
    public Task<SyncSummary> RunAsync(
        long mailboxId, IMailboxSession session, IProgress<SyncProgress>? progress, CancellationToken cancellationToken) =>
        RunAsync(mailboxId, session, progress, onlyFolders: null, cancellationToken);

    /// <summary>As above, limited to the folders named (after IDLE reported a change in one of them).</summary>
    public async Task<SyncSummary> RunAsync(
        long mailboxId, IMailboxSession session, IProgress<SyncProgress>? progress,
        IReadOnlyCollection<string>? onlyFolders, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var errors = new List<string>();
        var counts = new PlanCounts();

        var plans = new List<FolderPlan>();
        string? selected = null; // the folder the session has open; a failed SELECT leaves none (RFC 3501 §6.3.1)
        var folders = await session.ListFoldersAsync(cancellationToken);
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
            }
        }

        var total = plans.Sum(p => (long)p.ToFetch.Count);
        var withWork = plans.Where(p => p.ToFetch.Count > 0).ToList();
        var pipeline = new FolderFetchPipeline(store, options);
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
                        errors.Add($"{plan.Folder.Path}: UIDVALIDITY changed during the sync; it is synced on the next run.");
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
        };
    }

    private async Task<FolderPlan> PlanFolderAsync(
        long mailboxId, IMailboxSession session, RemoteFolder remote, PlanCounts counts, CancellationToken cancellationToken)
    {
        var folder = await store.UpsertFolderAsync(mailboxId, remote, cancellationToken);
        var status = await session.OpenFolderAsync(remote.Path, cancellationToken);
        var stored = await store.GetMembershipsAsync(folder.Id, cancellationToken);
        var kind = SyncPlanner.Plan(folder, stored.Count, status, session.Capabilities.Contains("CONDSTORE"));
        counts.Kinds.Add((remote.Path, kind));

        IReadOnlyList<RemoteMessageState> changed;
        HashSet<uint>? onServer;
        switch (kind)
        {
            case SyncPlanKind.NothingToDo:
                return new FolderPlan(folder, status, []);

            case SyncPlanKind.CondStoreChanges:
                changed = await session.FetchChangedStatesAsync(folder.HighestModSeq!.Value, cancellationToken);
                var arrived = changed.Count(s => !stored.ContainsKey(s.Uid));
                // Arrivals all carry a new mod-sequence; if the count still does not add up, something was expunged.
                onServer = stored.Count + arrived == status.Count ? null : [.. await session.SearchUidsAsync(cancellationToken)];
                break;

            case SyncPlanKind.UidValidityReset:
                if (folder.UidValidity is not null)
                    counts.Resets++;
                await store.ResetFolderAsync(folder.Id, status.UidValidity, cancellationToken);
                folder = folder with { UidValidity = status.UidValidity, UidNext = null, HighestModSeq = null };
                stored = new Dictionary<uint, StoredMembership>();
                changed = await session.FetchStatesAsync(cancellationToken);
                onServer = [.. changed.Select(s => s.Uid)];
                break;

            default:
                changed = await session.FetchStatesAsync(cancellationToken);
                onServer = [.. changed.Select(s => s.Uid)];
                break;
        }

        var flagChanges = changed
            .Where(s => stored.TryGetValue(s.Uid, out var m) && (m.Flags != s.Flags || !m.Keywords.SequenceEqual(s.Keywords)))
            .ToList();
        if (flagChanges.Count > 0)
            await store.UpdateFlagsAsync(folder.Id, flagChanges, cancellationToken);

        var gone = onServer is null ? [] : stored.Keys.Where(uid => !onServer.Contains(uid)).ToList();
        if (gone.Count > 0)
            await store.RemoveMembershipsAsync(folder.Id, gone, cancellationToken);

        // New: on the server (or, with CHANGEDSINCE and nothing expunged, reported changed) and not stored, newest
        // first; inside the sync window if there is one.
        var toFetch = (onServer ?? changed.Select(s => s.Uid)).Where(uid => !stored.ContainsKey(uid)).OrderDescending().ToList();
        if (options.Since is { } since && toFetch.Count > 0)
        {
            var inWindow = (await session.SearchUidsSinceAsync(since, cancellationToken)).ToHashSet();
            toFetch.RemoveAll(uid => !inWindow.Contains(uid));
        }
        counts.FlagsUpdated += flagChanges.Count;
        counts.Removed += gone.Count;
        return new FolderPlan(folder, status, toFetch);
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

    private sealed class PlanCounts
    {
        public long FlagsUpdated { get; set; }
        public long Removed { get; set; }
        public long Resets { get; set; }
        public List<(string Folder, SyncPlanKind Kind)> Kinds { get; } = [];
    }
}
