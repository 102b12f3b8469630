using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sync;

/// <summary>
/// Decides how to bring one folder in step, from what the store checkpointed and what SELECT just reported.
/// A pure function: one documented rule per case, tested as a table. Model: EmailEngine's sync-operations.
/// </summary>
public static class SyncPlanner
{
    /// <param name="stored">The folder's last checkpoint.</param>
    /// <param name="storedCount">How many memberships the store holds for the folder.</param>
    /// <param name="server">The folder as SELECT reported it now.</param>
    /// <param name="tracking">What the session can report about changes (CONDSTORE, QRESYNC enabled).</param>
    public static SyncPlanKind Plan(StoredFolder stored, int storedCount, FolderStatus server, ChangeTracking tracking)
    {
        // Rule 1: a different (or first-seen) UIDVALIDITY invalidates every stored UID (RFC 3501 §2.3.1.1).
        if (stored.UidValidity != server.UidValidity)
            return SyncPlanKind.UidValidityReset;

        // Rule 2: no completed checkpoint (a first sync, or one that was interrupted): compare everything.
        if (stored.UidNext is not { } storedNext)
            return SyncPlanKind.FullReconcile;

        var modSeqKnown = tracking != ChangeTracking.None && stored.HighestModSeq is not null && server.HighestModSeq is not null;

        // Rule 3: with CONDSTORE, every flag change and expunge raises HIGHESTMODSEQ and every arrival raises
        // UIDNEXT: when neither moved and the count agrees, the folder is exactly as stored.
        if (modSeqKnown && stored.HighestModSeq == server.HighestModSeq && storedNext == server.UidNext && storedCount == server.Count)
            return SyncPlanKind.NothingToDo;

        // Rule 4: with QRESYNC enabled, CHANGEDSINCE with VANISHED names flag changes, arrivals and expunges in one
        // answer (RFC 7162 §3.2.6); a UID SEARCH is needed only if the count still does not add up.
        if (modSeqKnown && tracking == ChangeTracking.QResync)
            return SyncPlanKind.QResyncChanges;

        // Rule 5: with CONDSTORE alone, CHANGEDSINCE answers flags and arrivals, plus, only when the count does
        // not add up, one UID SEARCH to find what was expunged.
        if (modSeqKnown)
            return SyncPlanKind.CondStoreChanges;

        // Rule 6: without CONDSTORE, flag changes are invisible to SELECT: only a full comparison finds them.
        return SyncPlanKind.FullReconcile;
    }
}
