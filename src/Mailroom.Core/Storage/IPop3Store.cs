namespace Mailroom.Core.Storage;

/// <summary>
/// What <see cref="Sync.Pop3.Pop3Sync"/> needs from persistence. A POP3 mailbox has one folder ("INBOX"); each
/// membership carries the server's UIDL as its remote id and a UID assigned locally, unique in the folder and never
/// reused. Every write is idempotent through the same unique keys as IMAP memberships.
/// </summary>
public interface IPop3Store
{
    /// <summary>The mailbox's single folder, created on first use, with the UIDLs stored so far.</summary>
    Task<Pop3FolderState> OpenPop3FolderAsync(long mailboxId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a membership for each candidate whose identity is already a message of the mailbox (the server re-assigned
    /// its UIDL, or delivered it twice), pointing at that message's stored raw copy. Returns the UIDLs attached;
    /// the others must be fetched.
    /// </summary>
    Task<IReadOnlyList<string>> AttachKnownAsync(long folderId, IReadOnlyList<Pop3KnownMessage> candidates, CancellationToken cancellationToken);

    /// <summary>The same write as <see cref="IMessageStore.SaveMessagesAsync"/>: one transaction, one checkpoint.</summary>
    Task SaveMessagesAsync(long folderId, IReadOnlyList<IngestedMessage> batch, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the memberships of UIDLs the server no longer lists. Their UIDs are retired first (the folder's next
    /// UID moves past them), so they are never given to another message.
    /// </summary>
    Task RemoveRemoteIdsAsync(long folderId, IReadOnlyCollection<string> remoteIds, CancellationToken cancellationToken);

    /// <summary>Checkpoints a folder that is in step with the server: next local UID, the server's count, the time.</summary>
    Task CompletePop3SyncAsync(long folderId, uint uidNext, int remoteCount, DateTimeOffset syncedAt, CancellationToken cancellationToken);
}
