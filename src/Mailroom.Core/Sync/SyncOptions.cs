namespace Mailroom.Core.Sync;

/// <summary>How a mailbox sync runs. Bound from configuration section <c>Mailroom:Sync</c>.</summary>
public sealed class SyncOptions
{
    /// <summary>UIDs per UID FETCH command, and messages per store transaction (one checkpoint each).</summary>
    public int BatchSize { get; set; } = 250;

    /// <summary>
    /// About how many bytes one UID FETCH asks for at most (at the average message size seen). A cut connection
    /// halves it for the next batches, down to 256 KiB; each batch that completes doubles it back up to this.
    /// </summary>
    public long BatchBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>The smallest <see cref="BatchBytes"/>, and the least a cut connection leaves of it.</summary>
    public const long MinBatchBytes = 256 * 1024;

    /// <summary>The largest <see cref="BatchBytes"/>.</summary>
    public const long MaxBatchBytes = 1L << 30;

    /// <summary>
    /// At most about this many raw bytes are held between receiving a message and storing it (queued, parsing, in the
    /// batch being written). Bounds memory when messages are large; a message larger than this is still synced, alone.
    /// </summary>
    public long PipelineBytes { get; set; } = 24L * 1024 * 1024;

    /// <summary>Messages parsed at once; parsing overlaps fetching and storing.</summary>
    public int ParseConcurrency { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Sync window: only messages the server received on or after this day are fetched (IMAP SEARCH SINCE).</summary>
    public DateOnly? Since { get; set; }

    /// <summary>When not empty, only these folders are synced (exact paths, or <c>Parent/*</c> for a subtree).</summary>
    public IReadOnlyList<string> Folders { get; set; } = [];

    /// <summary>Folders never synced (exact paths, or <c>Parent/*</c> for a subtree); applied after <see cref="Folders"/>.</summary>
    public IReadOnlyList<string> ExcludeFolders { get; set; } = [];

    /// <summary>Folder roles left out of sync. Junk and trash by default.</summary>
    public IReadOnlySet<FolderRole> SkippedRoles { get; set; } = new HashSet<FolderRole> { FolderRole.Junk, FolderRole.Trash };
}
