using System.Diagnostics;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sync.Ews;

/// <summary>
/// Sync of a mailbox through Exchange Web Services. The folder tree costs one SyncFolderHierarchy request from its
/// stored state while nothing changed; when anything did (or the state is gone), the whole tree is read again with the
/// distinguished folder ids and the stored folders follow it, the new state saved with them. Then each folder's items
/// from its stored SyncState (see <see cref="SyncFolderAsync"/>): an unchanged folder costs its one SyncFolderItems.
/// </summary>
public sealed partial class EwsSync(IMessageStore store, IPop3Store localUids, IGraphStore folders, IEwsStore ews, SyncOptions options)
{
    public async Task<SyncSummary> RunAsync(long mailboxId, IEwsSession session, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var states = await OpenFoldersAsync(mailboxId, session, cancellationToken);
        var totals = new Totals();
        var kinds = new Dictionary<string, SyncPlanKind>(StringComparer.Ordinal);
        var errors = new List<string>();
        for (var i = 0; i < states.Count; i++)
        {
            try
            {
                kinds[states[i].Folder.Path] = await SyncFolderAsync(session, states[i], i, states.Count, totals, progress, cancellationToken);
            }
            catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.CommandFailed)
            {
                // One folder Exchange refuses (deleted since the tree was read, say) does not stop the others.
                errors.Add($"{states[i].Folder.Path}: {ex.Message}");
            }
        }
        return new SyncSummary(states.Count, totals.Fetched, totals.Bytes, totals.Flags, totals.Removed, 0, Stopwatch.GetElapsedTime(started), errors)
        {
            Plans = kinds,
            MessagesRecognized = totals.Recognized,
        };
    }

    /// <summary>The folders to sync: the stored ones while the tree is unchanged, else the tree read again and stored.</summary>
    private async Task<IReadOnlyList<GraphFolderState>> OpenFoldersAsync(long mailboxId, IEwsSession session, CancellationToken cancellationToken)
    {
        var (hierarchyState, stored) = await ews.LoadEwsFoldersAsync(mailboxId, cancellationToken);
        if (hierarchyState is not null
            && await session.SyncFolderHierarchyAsync(hierarchyState, cancellationToken) is { Changes.Count: 0, IncludesLastFolderInRange: true })
            return stored; // the stored state stays valid: nothing to write

        var distinguished = await session.GetDistinguishedFolderIdsAsync(EwsFolders.Distinguished, cancellationToken);
        var tree = new Dictionary<string, EwsFolder>(StringComparer.Ordinal);
        string? state = null;
        while (true)
        {
            var page = await session.SyncFolderHierarchyAsync(state, cancellationToken)
                ?? throw new ConnectorException(ConnectorErrorKind.Transient, "EWS refused a SyncFolderHierarchy from the start.");
            foreach (var change in page.Changes)
            {
                if (change.Kind == EwsChangeKind.Delete)
                    tree.Remove(change.FolderId);
                else if (change.Folder is { } folder)
                    tree[folder.Id] = folder;
            }
            state = page.SyncState;
            if (page.IncludesLastFolderInRange)
                break;
        }
        var plans = EwsFolders.Plan(tree.Values, distinguished);
        return await ews.SaveEwsFoldersAsync(mailboxId, plans, state, cancellationToken);
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
