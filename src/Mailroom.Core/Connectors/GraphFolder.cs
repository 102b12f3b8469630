namespace Mailroom.Core.Connectors;

/// <summary>A Graph mailFolder.</summary>
/// <param name="Id">Its immutable id.</param>
/// <param name="DisplayName">Its name, localized for well-known folders (never a role).</param>
/// <param name="ParentFolderId">Its parent's id (the mailbox root's id for top-level folders).</param>
/// <param name="TotalItemCount">Messages in it, as Graph counts them.</param>
public sealed record GraphFolder(string Id, string DisplayName, string? ParentFolderId, int TotalItemCount);
