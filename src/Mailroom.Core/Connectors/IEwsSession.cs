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

    /// <summary>
    /// A streaming subscription to every folder (Subscribe with StreamingSubscriptionRequest); null when the server
    /// offers none (before Exchange 2010 SP1, or turned off): the caller polls.
    /// </summary>
    Task<string?> SubscribeStreamingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Opens the subscription's event stream (GetStreamingEvents, for <paramref name="minutes"/>) and returns true as
    /// soon as an event arrives, false when Exchange closes the connection first (open it again: that renews it).
    /// A subscription Exchange no longer knows is a <see cref="ConnectorException"/> of kind CommandFailed: subscribe again.
    /// </summary>
    Task<bool> WaitForEventsAsync(string subscriptionId, int minutes, CancellationToken cancellationToken);

    /// <summary>CreateItem with MessageDisposition SendAndSaveCopy: Exchange sends the MIME message and files the Sent copy.</summary>
    Task SendMimeAsync(ReadOnlyMemory<byte> mime, CancellationToken cancellationToken);
}
