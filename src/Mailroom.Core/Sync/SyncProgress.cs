namespace Mailroom.Core.Sync;

/// <summary>A snapshot of a running sync, reported after each stored batch.</summary>
/// <param name="Folder">The folder being synced.</param>
/// <param name="FolderIndex">Its 1-based position among <paramref name="FolderCount"/> folders with work.</param>
/// <param name="MessagesDone">Messages stored so far in this run, all folders.</param>
/// <param name="MessagesTotal">Messages to fetch in this run, all folders.</param>
/// <param name="BytesDone">Raw bytes stored so far.</param>
public sealed record SyncProgress(string Folder, int FolderIndex, int FolderCount, long MessagesDone, long MessagesTotal, long BytesDone);
