namespace Mailroom.Core.Connectors;

/// <summary>One answer of SyncFolderHierarchy.</summary>
/// <param name="SyncState">The state to send next time (saved with the changes it covers).</param>
/// <param name="IncludesLastFolderInRange">False while more changes wait: ask again with <paramref name="SyncState"/>.</param>
public sealed record EwsHierarchyPage(string SyncState, bool IncludesLastFolderInRange, IReadOnlyList<EwsFolderChange> Changes);
