namespace Mailroom.Core.Storage;

/// <summary>The stored side of a POP3 mailbox's folder.</summary>
/// <param name="FolderId">The folder ("INBOX").</param>
/// <param name="RemoteIds">Every stored UIDL with the local UID of its membership.</param>
/// <param name="UidNext">The next local UID to assign: above every UID the folder has ever held.</param>
/// <param name="MailboxHasMessages">
/// Whether the mailbox holds any message at all (with or without membership): only then can a new UIDL be a
/// message already stored, and its headers worth reading before the body.
/// </param>
public sealed record Pop3FolderState(long FolderId, IReadOnlyDictionary<string, uint> RemoteIds, uint UidNext, bool MailboxHasMessages);
