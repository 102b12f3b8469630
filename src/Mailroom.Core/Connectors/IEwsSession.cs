namespace Mailroom.Core.Connectors;

/// <summary>
/// One authenticated client of a mailbox's Exchange Web Services endpoint. Every call has a deadline, waits out
/// ErrorServerBusy (BackOffMilliseconds) and throttling, and classifies what it cannot overcome as
/// <see cref="ConnectorException"/>.
/// </summary>
public interface IEwsSession : IAsyncDisposable
{
    /// <summary>Counters of what went over the wire (HTTP requests, bytes, MIME bodies).</summary>
    SessionCounters Counters { get; }

    /// <summary>The ids of well-known folders (GetFolder with DistinguishedFolderId); a name the mailbox lacks is absent.</summary>
    Task<IReadOnlyDictionary<string, string>> GetDistinguishedFolderIdsAsync(IReadOnlyList<string> names, CancellationToken cancellationToken);

    /// <summary>
    /// One SyncFolderHierarchy answer below msgfolderroot, from <paramref name="syncState"/> (null: from the start);
    /// null when Exchange no longer accepts that state (ErrorInvalidSyncStateData): read the tree from the start.
    /// </summary>
    Task<EwsHierarchyPage?> SyncFolderHierarchyAsync(string? syncState, CancellationToken cancellationToken);

    /// <summary>
    /// One SyncFolderItems answer of <paramref name="folderId"/> from <paramref name="syncState"/> (null: from the start);
    /// null when Exchange no longer accepts that state (ErrorInvalidSyncStateData): reconcile from the start.
    /// </summary>
    Task<EwsItemPage?> SyncFolderItemsAsync(string folderId, string? syncState, CancellationToken cancellationToken);

    /// <summary>
    /// The MIME content of each item (GetItem with IncludeMimeContent, in batches), calling <paramref name="onItem"/> as
    /// each arrives. Items the server no longer has are skipped.
    /// </summary>
    Task GetMimeAsync(IReadOnlyList<string> itemIds, Func<EwsMimeItem, CancellationToken, ValueTask> onItem, CancellationToken cancellationToken);

    /// <summary>CreateItem with MessageDisposition SendAndSaveCopy: Exchange sends the MIME message and files the Sent copy.</summary>
    Task SendMimeAsync(ReadOnlyMemory<byte> mime, CancellationToken cancellationToken);
}
