namespace Mailroom.Core.Sync;

/// <summary>What one sync run did.</summary>
/// <param name="FolderErrors">Folders that could not be synced, with the reason; the others were.</param>
public sealed record SyncSummary(
    int Folders,
    long MessagesFetched,
    long BytesFetched,
    long FlagsUpdated,
    long MembershipsRemoved,
    long UidValidityResets,
    TimeSpan Elapsed,
    IReadOnlyList<string> FolderErrors)
{
    /// <summary>How each folder was brought in step (see <see cref="SyncPlanner"/>).</summary>
    public IReadOnlyDictionary<string, SyncPlanKind> Plans { get; init; } = new Dictionary<string, SyncPlanKind>();

    /// <summary>Messages found on the server that were already stored (same Message-ID and size), so not downloaded again.</summary>
    public long MessagesRecognized { get; init; }

    /// <summary>Stored folders the server no longer lists, removed with their memberships.</summary>
    public int FoldersRemoved { get; init; }
}
