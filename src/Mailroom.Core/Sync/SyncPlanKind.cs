namespace Mailroom.Core.Sync;

/// <summary>What a folder needs to be in step with the server again. See <see cref="SyncPlanner"/> for the rules.</summary>
public enum SyncPlanKind
{
    /// <summary>Nothing changed since the checkpoint: not even flags are fetched.</summary>
    NothingToDo = 0,

    /// <summary>QRESYNC: one UID FETCH CHANGEDSINCE with VANISHED returns flag changes, arrivals and expunges alike.</summary>
    QResyncChanges = 1,

    /// <summary>CONDSTORE: fetch what changed since the stored HIGHESTMODSEQ; compare UIDs only if the count says something was expunged.</summary>
    CondStoreChanges = 2,

    /// <summary>No usable checkpoint or no CONDSTORE: compare every UID and flag with the store.</summary>
    FullReconcile = 3,

    /// <summary>UIDVALIDITY changed: the stored UIDs mean nothing any more; re-match every message by identity.</summary>
    UidValidityReset = 4,
}
