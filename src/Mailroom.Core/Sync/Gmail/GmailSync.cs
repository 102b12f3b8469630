using System.Diagnostics;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sync.Gmail;

/// <summary>
/// Sync of a Gmail mailbox over IMAP (X-GM-EXT-1). Every message is in All Mail once, whatever its labels, so only
/// All Mail is selected and fetched: X-GM-MSGID is the identity, X-GM-THRID the thread, and each label (INBOX, Sent,
/// user labels) is a folder whose memberships carry All Mail's UIDs. A message with two labels is one message with
/// three memberships. Spam and Trash are not in All Mail and are not synced.
/// </summary>
public sealed class GmailSync(IMessageStore store, IGmailLabelStore labels, TimeProvider time, SyncOptions options)
{
    /// <summary>The mailbox's batch sizer, so that what a cut connection taught holds for the next one.</summary>
    internal FetchBatchSizer? Sizer { get; init; }

    public async Task<SyncSummary> RunAsync(
        long mailboxId, IGmailSession session, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var listed = await session.ListFoldersAsync(cancellationToken);
        if (listed.FirstOrDefault(f => f.Role == FolderRole.All && f.CanSelect) is not { } allMail)
        {
            return Summary(started, 0, 0, 0, 0, 0, null,
                ["Gmail: no folder with the \\All role is visible over IMAP (All Mail hidden from IMAP in Gmail's settings?); nothing was synced."]);
        }

        var folder = await store.UpsertFolderAsync(mailboxId, allMail, cancellationToken);
        FolderStatus status;
        try
        {
            status = await session.OpenFolderAsync(allMail.Path, cancellationToken);
        }
        catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.CommandFailed)
        {
            await store.RecordFolderErrorAsync(mailboxId, allMail.Path, ex.Message, time.GetUtcNow(), cancellationToken);
            return Summary(started, 0, 0, 0, 0, 0, null, [$"{allMail.Path}: {ex.Message}"]);
        }

        var stored = await store.GetMembershipsAsync(folder.Id, cancellationToken);
        // The server's count at the checkpoint, not the stored count: with a sync window the store holds fewer.
        var checkpointCount = await labels.GetRemoteCountAsync(folder.Id, cancellationToken);
        var kind = SyncPlanner.Plan(folder, checkpointCount ?? stored.Count, status, session.ChangeTracking);
        if (kind == SyncPlanKind.NothingToDo)
        {
            await store.CompleteFolderSyncAsync(folder.Id, status, time.GetUtcNow(), cancellationToken);
            return Summary(started, 0, 0, 0, 0, 0, (allMail.Path, kind), []);
        }

        long resets = 0;
        IReadOnlyList<GmailMessageState> reported;
        HashSet<uint>? onServer;
        switch (kind)
        {
            case SyncPlanKind.CondStoreChanges or SyncPlanKind.QResyncChanges:
                // Label changes are expected in this answer too: Gmail keeps labels as message state under MODSEQ.
                reported = await session.FetchGmailStatesAsync(folder.HighestModSeq, cancellationToken);
                var arrived = reported.Count(s => s.Uid >= folder.UidNext);
                onServer = checkpointCount is { } count && count + arrived == status.Count
                    ? null
                    : [.. await session.SearchUidsAsync(cancellationToken)];
                break;

            case SyncPlanKind.UidValidityReset:
                if (folder.UidValidity is not null)
                    resets++;
                await store.ResetFolderAsync(folder.Id, status.UidValidity, cancellationToken);
                await labels.ClearLabelMembershipsAsync(mailboxId, cancellationToken);
                folder = folder with { UidValidity = status.UidValidity, UidNext = null, HighestModSeq = null };
                stored = new Dictionary<uint, StoredMembership>();
                reported = await session.FetchGmailStatesAsync(null, cancellationToken);
                onServer = [.. reported.Select(s => s.Uid)];
                break;

            default:
                reported = await session.FetchGmailStatesAsync(null, cancellationToken);
                onServer = [.. reported.Select(s => s.Uid)];
                break;
        }

        var flagChanges = reported
            .Where(s => stored.TryGetValue(s.Uid, out var m) && (m.Flags != s.Flags || !m.Keywords.SequenceEqual(s.Keywords)))
            .Select(s => s.State)
            .ToList();
        if (flagChanges.Count > 0)
            await store.UpdateFlagsAsync(folder.Id, flagChanges, cancellationToken);

        var gone = onServer is null ? [] : stored.Keys.Where(uid => !onServer.Contains(uid)).ToList();
        if (gone.Count > 0)
            await store.RemoveMembershipsAsync(folder.Id, gone, cancellationToken);

        // New messages newest first. The sync window is applied to the INTERNALDATE already fetched (by UTC day), which
        // spares the UID SEARCH SINCE that other servers need.
        var since = options.Since is { } day ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : (DateTimeOffset?)null;
        var toFetch = reported
            .Where(s => !stored.ContainsKey(s.Uid) && (since is null || s.InternalDate is null || s.InternalDate >= since))
            .DistinctBy(s => s.Uid)
            .OrderByDescending(s => s.Uid)
            .ToList();
        var recognized = await AttachKnownAsync(mailboxId, folder.Id, toFetch, cancellationToken);
        if (recognized.Count > 0)
            toFetch = [.. toFetch.Where(s => !recognized.Contains(s.Uid))];
        var (fetched, bytes) = await FetchAsync(session, folder, status, toFetch, allMail.Path, progress, cancellationToken);

        var inAllMail = stored.Keys.Except(gone).Concat(toFetch.Select(s => s.Uid)).Concat(recognized).ToHashSet();
        await ApplyLabelsAsync(mailboxId, folder.Id, listed, allMail, reported, inAllMail, cancellationToken);
        if (flagChanges.Count > 0)
            await labels.MirrorFlagsAsync(mailboxId, folder.Id, cancellationToken);

        await store.CompleteFolderSyncAsync(folder.Id, status, time.GetUtcNow(), cancellationToken);
        return Summary(started, fetched, bytes, flagChanges.Count, gone.Count, resets, (allMail.Path, kind), []) with { MessagesRecognized = recognized.Count };
    }

    /// <summary>
    /// Messages the mailbox already stores under their X-GM-MSGID (synced through the Gmail API, or before a UIDVALIDITY
    /// change) join All Mail under their UIDs without a download.
    /// </summary>
    private async Task<HashSet<uint>> AttachKnownAsync(long mailboxId, long folderId, List<GmailMessageState> toFetch, CancellationToken cancellationToken)
    {
        var candidates = toFetch
            .Where(s => s.MessageId is not null)
            .Select(s => new GmailApiKnownMessage(s.Uid, Identity.GmailIds.ToApi(s.MessageId!.Value), Identity.GmailIds.IdentityKey(s.MessageId.Value), s.Flags))
            .ToList();
        if (candidates.Count == 0 || !await store.HasMessagesAsync(mailboxId, cancellationToken))
            return [];
        var attached = (await labels.AttachKnownAsync(folderId, candidates, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        return [.. candidates.Where(c => attached.Contains(c.IdentityKey)).Select(c => c.Uid)];
    }

    private async Task<(long Messages, long Bytes)> FetchAsync(
        IGmailSession session, StoredFolder folder, FolderStatus status, List<GmailMessageState> toFetch, string path,
        IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        if (toFetch.Count == 0)
            return (0, 0);
        var byUid = toFetch.ToDictionary(s => s.Uid);
        var pipeline = new FolderFetchPipeline(store, options, (uids, onMessage, ct) =>
            session.FetchGmailMessagesAsync([.. uids.Select(u => byUid[u])], onMessage, ct), Sizer);
        var plan = new FolderPlan(folder, status, [.. toFetch.Select(s => s.Uid)]);
        return await pipeline.RunAsync(plan, session, (n, b) =>
            progress?.Report(new SyncProgress(path, 1, 1, n, toFetch.Count, b)), cancellationToken);
    }

    private async Task ApplyLabelsAsync(
        long mailboxId, long allMailFolderId, IReadOnlyList<RemoteFolder> listed, RemoteFolder allMail,
        IReadOnlyList<GmailMessageState> reported, IReadOnlySet<uint> inAllMail, CancellationToken cancellationToken)
    {
        var stored = await labels.GetLabelsAsync(mailboxId, cancellationToken);
        var changes = GmailLabelDiff.Compute(stored, reported, inAllMail);
        if (changes.IsEmpty)
            return;

        var folderIds = new Dictionary<string, long>(StringComparer.Ordinal);
        async Task<long> FolderOf(string label)
        {
            if (!folderIds.TryGetValue(label, out var id))
            {
                var (path, role) = GmailLabelFolders.Resolve(label, listed, allMail);
                id = folderIds[label] = (await labels.UpsertLabelFolderAsync(mailboxId, path, role, label, cancellationToken)).Id;
            }
            return id;
        }

        var add = new List<GmailLabelMembership>(changes.Add.Count);
        foreach (var (uid, label) in changes.Add)
            add.Add(new GmailLabelMembership(await FolderOf(label), uid));
        var remove = new List<GmailLabelMembership>(changes.Remove.Count);
        foreach (var (uid, label) in changes.Remove)
            remove.Add(new GmailLabelMembership(await FolderOf(label), uid));
        await labels.ApplyLabelChangesAsync(allMailFolderId, add, remove, cancellationToken);
    }

    private static SyncSummary Summary(
        long started, long fetched, long bytes, long flags, long removed, long resets, (string Folder, SyncPlanKind Kind)? plan,
        IReadOnlyList<string> errors) =>
        new(plan is null ? 0 : 1, fetched, bytes, flags, removed, resets, Stopwatch.GetElapsedTime(started), errors)
        {
            Plans = plan is { } p ? new Dictionary<string, SyncPlanKind> { [p.Folder] = p.Kind } : new Dictionary<string, SyncPlanKind>(),
        };
}
