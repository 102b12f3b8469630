namespace Mailroom.Core.Connectors;

/// <summary>A mail folder as EWS reports it (FolderType with FolderId, ParentFolderId, DisplayName, FolderClass).</summary>
/// <param name="FolderClass">IPF.Note for mail; null when the server left it out (treated as mail).</param>
public sealed record EwsFolder(string Id, string? ChangeKey, string? ParentId, string DisplayName, string? FolderClass)
{
    /// <summary>Calendars, contacts, tasks and notes live in the same tree; only mail folders are synced.</summary>
    public bool IsMail => FolderClass is null || FolderClass == "IPF.Note" || FolderClass.StartsWith("IPF.Note.", StringComparison.Ordinal);
}
