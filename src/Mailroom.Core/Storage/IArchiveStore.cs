namespace Mailroom.Core.Storage;

/// <summary>
/// Folders of a local archive mailbox (<c>mailroom import</c>): like a POP3 folder, each membership carries a remote id
/// (here the SHA-256 of the message's bytes, so importing the same file again adds nothing) and a UID assigned locally.
/// </summary>
public interface IArchiveStore
{
    /// <summary>The folder with this path, created on first use, with its remote ids and next local UID.</summary>
    Task<Pop3FolderState> OpenArchiveFolderAsync(long mailboxId, string path, CancellationToken cancellationToken);
}
