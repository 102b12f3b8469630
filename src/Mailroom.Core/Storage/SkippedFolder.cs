namespace Mailroom.Core.Storage;

/// <summary>A folder's messages that privacy scope "contacts" did not keep.</summary>
/// <param name="FolderId">The stored folder.</param>
/// <param name="Path">Its path on the server.</param>
/// <param name="UidValidity">The UIDVALIDITY the UIDs belong to.</param>
/// <param name="Uids">The skipped UIDs.</param>
public sealed record SkippedFolder(long FolderId, string Path, uint? UidValidity, IReadOnlyList<uint> Uids);
