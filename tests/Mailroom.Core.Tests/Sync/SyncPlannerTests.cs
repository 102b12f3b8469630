using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;

namespace Mailroom.Core.Tests.Sync;

public sealed class SyncPlannerTests
{
    public static TheoryData<string, uint?, uint?, ulong?, int, uint, uint?, ulong?, int, bool, SyncPlanKind> Table() => new()
    {
        // name, stored: uidvalidity, uidnext, modseq, count; server: uidvalidity, uidnext, modseq, count; condstore; expected
        { "first sync", null, null, null, 0, 7, 11, 20, 10, true, SyncPlanKind.UidValidityReset },
        { "uidvalidity changed", 7, 11, 20, 10, 8, 11, 20, 10, true, SyncPlanKind.UidValidityReset },
        { "interrupted before the checkpoint", 7, null, null, 4, 7, 11, 20, 10, true, SyncPlanKind.FullReconcile },
        { "nothing changed", 7, 11, 20, 10, 7, 11, 20, 10, true, SyncPlanKind.NothingToDo },
        { "flags changed", 7, 11, 20, 10, 7, 11, 21, 10, true, SyncPlanKind.CondStoreChanges },
        { "new mail", 7, 11, 20, 10, 7, 12, 21, 11, true, SyncPlanKind.CondStoreChanges },
        { "expunge", 7, 11, 20, 10, 7, 11, 21, 9, true, SyncPlanKind.CondStoreChanges },
        { "count differs, modseq same", 7, 11, 20, 9, 7, 11, 20, 10, true, SyncPlanKind.CondStoreChanges },
        { "no condstore, nothing visible changed", 7, 11, null, 10, 7, 11, null, 10, false, SyncPlanKind.FullReconcile },
        { "condstore offered, no modseq stored", 7, 11, null, 10, 7, 11, 20, 10, true, SyncPlanKind.FullReconcile },
        { "modseq reported, condstore not offered", 7, 11, 20, 10, 7, 11, 20, 10, false, SyncPlanKind.FullReconcile },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Plan_follows_one_rule_per_case(
        string name, uint? storedValidity, uint? storedNext, ulong? storedModSeq, int storedCount,
        uint serverValidity, uint? serverNext, ulong? serverModSeq, int serverCount, bool condStore, SyncPlanKind expected)
    {
        var stored = new StoredFolder(1, 1, "INBOX", FolderRole.Inbox, storedValidity, storedNext, storedModSeq, null);
        var server = new FolderStatus(serverValidity, serverNext, serverModSeq, serverCount);
        Assert.True(expected == SyncPlanner.Plan(stored, storedCount, server, condStore), name);
    }
}
