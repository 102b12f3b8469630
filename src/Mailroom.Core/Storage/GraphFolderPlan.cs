using Mailroom.Core.Sync;

namespace Mailroom.Core.Storage;

/// <summary>A Graph folder as the store should hold it.</summary>
/// <param name="RemoteId">Graph's immutable folder id.</param>
/// <param name="Path">Its display names from the top, joined with '/'.</param>
/// <param name="Role">From its well-known name, never from its display name.</param>
public sealed record GraphFolderPlan(string RemoteId, string Path, FolderRole Role);
