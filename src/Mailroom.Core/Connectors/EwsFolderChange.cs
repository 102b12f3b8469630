namespace Mailroom.Core.Connectors;

/// <summary>One change of SyncFolderHierarchy: a created or updated folder (with its properties), or a deleted folder id.</summary>
public sealed record EwsFolderChange(EwsChangeKind Kind, string FolderId, EwsFolder? Folder);
