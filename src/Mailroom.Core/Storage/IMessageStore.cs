using Mailroom.Core.Connectors;

namespace Mailroom.Core.Storage;

/// <summary>
/// What the sync engine needs from persistence. Every write is idempotent: unique keys in the database,
/// not checks in code, make a repeated or resumed sync change nothing.
/// </summary>
public interface IMessageStore
{
    Task<IReadOnlyList<StoredFolder>> ListFoldersAsync(long mailboxId, CancellationToken cancellationToken);

    /// <summary>Creates the folder row if it is new, updates its role otherwise.</summary>
    Task<StoredFolder> UpsertFolderAsync(long mailboxId, RemoteFolder folder, CancellationToken cancellationToken);

    /// <summary>
    /// The folder's UIDVALIDITY changed (or is seen for the first time): forget its UIDs, keep the messages,
    /// record the new value. Messages are re-matched by identity as they are fetched again.
    /// </summary>
    Task ResetFolderAsync(long folderId, uint uidValidity, CancellationToken cancellationToken);

    /// <summary>Every membership of the folder, by UID.</summary>
    Task<IReadOnlyDictionary<uint, StoredMembership>> GetMembershipsAsync(long folderId, CancellationToken cancellationToken);

    /// <summary>The memberships of the folder with these UIDs (those the store has), by UID.</summary>
    Task<IReadOnlyDictionary<uint, StoredMembership>> GetMembershipsAsync(
        long folderId, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken);

    /// <summary>How many memberships the folder has: all the planner needs to decide that nothing changed.</summary>
    Task<int> CountMembershipsAsync(long folderId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a batch in one transaction: raw MIME (once per SHA-256), the message (once per identity in the
    /// mailbox), its addresses and attachments, and its membership in the folder (once per UID).
    /// </summary>
    Task SaveMessagesAsync(long folderId, IReadOnlyList<IngestedMessage> batch, CancellationToken cancellationToken);

    /// <summary>Sets the flags and keywords of existing memberships.</summary>
    Task UpdateFlagsAsync(long folderId, IReadOnlyList<RemoteMessageState> states, CancellationToken cancellationToken);

    /// <summary>Removes memberships whose UIDs the server no longer has.</summary>
    Task RemoveMembershipsAsync(long folderId, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken);

    /// <summary>
    /// Checkpoints a folder that is fully in step with the server at <paramref name="status"/>: records the
    /// server's count and the time, and clears the folder's last error.
    /// </summary>
    Task CompleteFolderSyncAsync(long folderId, FolderStatus status, DateTimeOffset syncedAt, CancellationToken cancellationToken);

    /// <summary>Records why a folder's sync failed; the next completed sync clears it.</summary>
    Task RecordFolderErrorAsync(long mailboxId, string path, string message, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Removes a folder the server no longer has, with its memberships; the messages stay.</summary>
    Task RemoveFolderAsync(long folderId, CancellationToken cancellationToken);

    /// <summary>Whether the mailbox holds any message yet.</summary>
    Task<bool> HasMessagesAsync(long mailboxId, CancellationToken cancellationToken);

    /// <summary>The mailbox's stored messages with any of these Message-IDs (several may share one).</summary>
    Task<IReadOnlyList<StoredCopy>> FindCopiesAsync(long mailboxId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken);

    /// <summary>Adds memberships for messages already stored, recognized on the server without downloading them again.</summary>
    Task AddMembershipsAsync(long folderId, IReadOnlyList<StoredMembership> memberships, CancellationToken cancellationToken);

    /// <summary>The raw bytes stored under a SHA-256, or null.</summary>
    Task<byte[]?> GetRawAsync(string sha256, CancellationToken cancellationToken);
}
