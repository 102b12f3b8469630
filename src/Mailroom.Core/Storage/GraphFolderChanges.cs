using Mailroom.Core.Connectors;

namespace Mailroom.Core.Storage;

/// <summary>What one folder's delta changes in the store, written in one transaction with its new delta link.</summary>
/// <param name="Removed">Remote ids that left the folder (moved or deleted).</param>
/// <param name="Flags">New flags and keywords (isRead, flag, categories) by local UID.</param>
/// <param name="DeltaLink">The folder's new cursor.</param>
/// <param name="UidNext">The next local UID: above every UID given out in this sync.</param>
public sealed record GraphFolderChanges(long FolderId, IReadOnlyCollection<string> Removed, IReadOnlyList<RemoteMessageState> Flags, string DeltaLink, uint UidNext);
