namespace Mailroom.Storage.Queries;

/// <summary>How many memberships (UIDs) one folder holds in the store.</summary>
public sealed record FolderCount(long FolderId, string Path, long Memberships);
