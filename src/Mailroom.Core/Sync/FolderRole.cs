namespace Mailroom.Core.Sync;

/// <summary>What a folder is for, from SPECIAL-USE attributes or, failing that, its name.</summary>
public enum FolderRole
{
    None = 0,
    Inbox = 1,
    Sent = 2,
    Drafts = 3,
    Archive = 4,
    All = 5,
    Junk = 6,
    Trash = 7,
    Flagged = 8,
}
