using Mailroom.Core.Sync;

namespace Mailroom.Storage.Queries;

/// <summary>One folder's sync state as <c>mailroom status</c> shows it.</summary>
/// <param name="Stored">Memberships the store holds for the folder.</param>
/// <param name="ServerCount">Messages the server reported at the last completed sync.</param>
/// <param name="LastSyncedAt">When the folder was last completely in step with the server.</param>
/// <param name="LastError">Why the last attempt failed, until a sync completes again.</param>
public sealed record FolderSyncState(
    long FolderId,
    string Path,
    FolderRole Role,
    long Stored,
    int? ServerCount,
    DateTimeOffset? LastSyncedAt,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    uint? UidValidity,
    uint? UidNext,
    ulong? HighestModSeq);
