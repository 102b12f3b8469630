namespace Mailroom.Core.Connectors;

/// <summary>One answer of SyncFolderItems (at most MaxChangesReturned changes).</summary>
/// <param name="SyncState">The folder's state after these changes: saved in the same transaction as they are.</param>
/// <param name="IncludesLastItemInRange">False while more changes wait: ask again with <paramref name="SyncState"/>.</param>
public sealed record EwsItemPage(string SyncState, bool IncludesLastItemInRange, IReadOnlyList<EwsItemChange> Changes);
