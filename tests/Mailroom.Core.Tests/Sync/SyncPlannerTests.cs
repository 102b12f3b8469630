using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;

namespace Mailroom.Core.Tests.Sync;

public sealed class SyncPlannerTests
{
    private const ChangeTracking Q = ChangeTracking.QResync;
    private const ChangeTracking C = ChangeTracking.CondStore;
    private const ChangeTracking N = ChangeTracking.None;

    public static TheoryData<string, uint?, uint?, ulong?, int, uint, uint?, ulong?, int, ChangeTracking, SyncPlanKind> Table() => new()
    {
        // name, stored: uidvalidity, uidnext, modseq, count; server: uidvalidity, uidnext, modseq, count; tracking; expected
        { "first sync", null, null, null, 0, 7, 11, 20, 10, C, SyncPlanKind.UidValidityReset },
        { "uidvalidity changed", 7, 11, 20, 10, 8, 11, 20, 10, C, SyncPlanKind.UidValidityReset },
        { "interrupted before the checkpoint", 7, null, null, 4, 7, 11, 20, 10, C, SyncPlanKind.FullReconcile },
        { "nothing changed", 7, 11, 20, 10, 7, 11, 20, 10, C, SyncPlanKind.NothingToDo },
        { "flags changed", 7, 11, 20, 10, 7, 11, 21, 10, C, SyncPlanKind.CondStoreChanges },
        { "new mail", 7, 11, 20, 10, 7, 12, 21, 11, C, SyncPlanKind.CondStoreChanges },
        { "expunge", 7, 11, 20, 10, 7, 11, 21, 9, C, SyncPlanKind.CondStoreChanges },
        { "count differs, modseq same", 7, 11, 20, 9, 7, 11, 20, 10, C, SyncPlanKind.CondStoreChanges },
        { "no condstore, nothing visible changed", 7, 11, null, 10, 7, 11, null, 10, N, SyncPlanKind.FullReconcile },
        { "condstore offered, no modseq stored", 7, 11, null, 10, 7, 11, 20, 10, C, SyncPlanKind.FullReconcile },
        { "modseq reported, condstore not offered", 7, 11, 20, 10, 7, 11, 20, 10, N, SyncPlanKind.FullReconcile },
        { "qresync: first sync", null, null, null, 0, 7, 11, 20, 10, Q, SyncPlanKind.UidValidityReset },
        { "qresync: uidvalidity changed", 7, 11, 20, 10, 8, 11, 20, 10, Q, SyncPlanKind.UidValidityReset },
        { "qresync: interrupted before the checkpoint", 7, null, null, 4, 7, 11, 20, 10, Q, SyncPlanKind.FullReconcile },
        { "qresync: nothing changed", 7, 11, 20, 10, 7, 11, 20, 10, Q, SyncPlanKind.NothingToDo },
        { "qresync: flags changed", 7, 11, 20, 10, 7, 11, 21, 10, Q, SyncPlanKind.QResyncChanges },
        { "qresync: new mail", 7, 11, 20, 10, 7, 12, 21, 11, Q, SyncPlanKind.QResyncChanges },
        { "qresync: expunge", 7, 11, 20, 10, 7, 11, 21, 9, Q, SyncPlanKind.QResyncChanges },
        { "qresync: no modseq stored", 7, 11, null, 10, 7, 11, 20, 10, Q, SyncPlanKind.FullReconcile },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Plan_follows_one_rule_per_case(
        string name, uint? storedValidity, uint? storedNext, ulong? storedModSeq, int storedCount,
        uint serverValidity, uint? serverNext, ulong? serverModSeq, int serverCount, ChangeTracking tracking, SyncPlanKind expected)
    {
        var stored = new StoredFolder(1, 1, "INBOX", FolderRole.Inbox, storedValidity, storedNext, storedModSeq, null);
        var server = new FolderStatus(serverValidity, serverNext, serverModSeq, serverCount);
        Assert.True(expected == SyncPlanner.Plan(stored, storedCount, server, tracking), name);
    }
}
