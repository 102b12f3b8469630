namespace Mailroom.Core.Connectors;

/// <summary>
/// One authenticated connection to a mailbox server. Not thread-safe: one caller at a time, as with the
/// underlying protocol client. Every method classifies failures as <see cref="ConnectorException"/>.
/// </summary>
public interface IMailboxSession : IAsyncDisposable
{
    /// <summary>The capabilities the server announced after login (upper-case IMAP names).</summary>
    IReadOnlySet<string> Capabilities { get; }

    /// <summary>Counters of what went over the wire, for tests and progress.</summary>
    SessionCounters Counters { get; }

    /// <summary>How much the server tells about changes since a checkpoint (CONDSTORE, QRESYNC enabled).</summary>
    ChangeTracking ChangeTracking { get; }

    /// <summary>
    /// True when <see cref="WaitForChangesAsync"/> reports changes in every folder (IMAP NOTIFY, RFC 5465), so
    /// other folders need no polling; false when it only watches the folder it waits in.
    /// </summary>
    bool WatchesAllFolders { get; }

    Task<IReadOnlyList<RemoteFolder>> ListFoldersAsync(CancellationToken cancellationToken);

    /// <summary>Opens a folder read-only and returns its state.</summary>
    Task<FolderStatus> OpenFolderAsync(string path, CancellationToken cancellationToken);

    /// <summary>UIDs and flags of every message in the open folder.</summary>
    Task<IReadOnlyList<RemoteMessageState>> FetchStatesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// UIDs and flags of the messages whose mod-sequence is above <paramref name="changedSince"/> (RFC 7162
    /// CHANGEDSINCE) and, with QRESYNC, the UIDs expunged since (VANISHED).
    /// </summary>
    Task<FolderChanges> FetchChangesAsync(ulong changedSince, CancellationToken cancellationToken);

    /// <summary>Size, Message-ID, flags and INTERNALDATE of the given messages of the open folder, without their bodies.</summary>
    Task<IReadOnlyList<RemoteMessageSummary>> FetchSummariesAsync(IReadOnlyList<uint> uids, CancellationToken cancellationToken);

    /// <summary>Every UID in the open folder (UID SEARCH ALL), without flags: the cheap way to find expunges.</summary>
    Task<IReadOnlyList<uint>> SearchUidsAsync(CancellationToken cancellationToken);

    /// <summary>UIDs of the messages the server received on or after <paramref name="since"/> (UID SEARCH SINCE).</summary>
    Task<IReadOnlyList<uint>> SearchUidsSinceAsync(DateOnly since, CancellationToken cancellationToken);

    /// <summary>
    /// Waits in <paramref name="folder"/> for the server to announce a change (IMAP IDLE, RFC 2177): new, expunged or
    /// re-flagged messages there and, when <see cref="WatchesAllFolders"/>, in any folder. Returns the paths of the
    /// folders that changed, or an empty set when <paramref name="maxDuration"/> passed. Changes announced while
    /// the session was busy with other commands are returned by the next call at once. Servers without IDLE are
    /// polled with NOOP every few seconds instead.
    /// </summary>
    Task<IReadOnlySet<string>> WaitForChangesAsync(string folder, TimeSpan maxDuration, CancellationToken cancellationToken);

    /// <summary>
    /// Fetches the given messages of the open folder in one batched command, calling <paramref name="onMessage"/>
    /// for each as it arrives. Messages the server no longer has are skipped silently.
    /// </summary>
    Task FetchMessagesAsync(
        IReadOnlyList<uint> uids,
        Func<FetchedMessage, CancellationToken, ValueTask> onMessage,
        CancellationToken cancellationToken);
}
