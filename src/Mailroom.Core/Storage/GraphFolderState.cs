namespace Mailroom.Core.Storage;

/// <summary>A stored Graph folder: its next local UID and its delta link (null before its first complete sync).</summary>
public sealed record GraphFolderState(StoredFolder Folder, string RemoteId, uint UidNext, string? DeltaLink);
