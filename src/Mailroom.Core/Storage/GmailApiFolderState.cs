namespace Mailroom.Core.Storage;

/// <summary>The All Mail folder of a Gmail API mailbox.</summary>
/// <param name="UidNext">The next local UID: above every UID the folder holds or has held.</param>
/// <param name="HistoryId">The history id the store is in step with, or null before the first complete sync.</param>
public sealed record GmailApiFolderState(StoredFolder Folder, uint UidNext, ulong? HistoryId);
