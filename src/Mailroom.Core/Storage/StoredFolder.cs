using Mailroom.Core.Sync;

namespace Mailroom.Core.Storage;

/// <summary>A folder of a mailbox with the sync state last checkpointed for it.</summary>
public sealed record StoredFolder(
    long Id,
    long MailboxId,
    string Path,
    FolderRole Role,
    uint? UidValidity,
    uint? UidNext,
    ulong? HighestModSeq,
    DateTimeOffset? LastSyncedAt);
