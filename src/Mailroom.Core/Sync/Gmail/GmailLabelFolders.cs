using Mailroom.Core.Connectors;

namespace Mailroom.Core.Sync.Gmail;

/// <summary>Where a Gmail label lives as a folder: its path and role.</summary>
public static class GmailLabelFolders
{
    private static readonly Dictionary<string, FolderRole> SystemRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["\\Inbox"] = FolderRole.Inbox,
        ["\\Sent"] = FolderRole.Sent,
        ["\\Draft"] = FolderRole.Drafts,
        ["\\Starred"] = FolderRole.Flagged,
        ["\\Spam"] = FolderRole.Junk,
        ["\\Trash"] = FolderRole.Trash,
    };

    /// <summary>
    /// "\\Inbox" is INBOX; another system label ("\\Sent", "\\Draft", "\\Important") is the listed folder with its role,
    /// else the listed folder of that name beside All Mail ("[Gmail]/Important"); a user label is the folder of its
    /// name (Gmail lists labels as folders under those names). A label no folder matches keeps its own name as path.
    /// </summary>
    public static (string Path, FolderRole Role) Resolve(string label, IReadOnlyList<RemoteFolder> listed, RemoteFolder allMail)
    {
        if (!label.StartsWith('\\'))
        {
            var named = listed.FirstOrDefault(f => string.Equals(f.Path, label, StringComparison.Ordinal));
            return (label, named?.Role ?? FolderRole.None);
        }

        if (string.Equals(label, "\\Inbox", StringComparison.OrdinalIgnoreCase))
            return ("INBOX", FolderRole.Inbox);

        var role = SystemRoles.GetValueOrDefault(label, FolderRole.None);
        if (role != FolderRole.None && listed.FirstOrDefault(f => f.Role == role) is { } byRole)
            return (byRole.Path, role);

        if (allMail.Delimiter is { } d && allMail.Path.LastIndexOf(d) is var cut and > 0)
        {
            var sibling = allMail.Path[..(cut + 1)] + label[1..];
            if (listed.FirstOrDefault(f => string.Equals(f.Path, sibling, StringComparison.OrdinalIgnoreCase)) is { } found)
                return (found.Path, role);
        }

        return (label, role);
    }
}
