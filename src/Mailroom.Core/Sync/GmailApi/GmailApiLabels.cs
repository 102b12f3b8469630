using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sync.GmailApi;

/// <summary>
/// Gmail API labels as the mailbox's folders and flags. A label is kept under the name X-GM-LABELS gives it over IMAP
/// ("\\Inbox", "\\Sent", a user label's name), so that a mailbox switched between the protocols keeps one label folder
/// per label. UNREAD, STARRED and DRAFT are also flags; SPAM and TRASH put a message outside the mailbox, as over IMAP
/// (neither is in All Mail); CHAT and UNREAD are no folders.
/// </summary>
public static class GmailApiLabels
{
    public const string Spam = "SPAM";
    public const string Trash = "TRASH";
    public const string Unread = "UNREAD";

    private static readonly Dictionary<string, (string Label, string Path, FolderRole Role)> System = new(StringComparer.Ordinal)
    {
        ["INBOX"] = ("\\Inbox", "INBOX", FolderRole.Inbox),
        ["SENT"] = ("\\Sent", "[Gmail]/Sent Mail", FolderRole.Sent),
        ["DRAFT"] = ("\\Draft", "[Gmail]/Drafts", FolderRole.Drafts),
        ["STARRED"] = ("\\Starred", "[Gmail]/Starred", FolderRole.Flagged),
        ["IMPORTANT"] = ("\\Important", "[Gmail]/Important", FolderRole.None),
    };

    /// <summary>A message with these labels is in Spam or Trash: not part of the synced mailbox.</summary>
    public static bool IsOutside(IReadOnlyCollection<string> labelIds) => labelIds.Contains(Spam) || labelIds.Contains(Trash);

    /// <summary>Seen unless UNREAD, Flagged when STARRED, Draft when DRAFT.</summary>
    public static MessageFlags Flags(IReadOnlyCollection<string> labelIds) =>
        (labelIds.Contains(Unread) ? MessageFlags.None : MessageFlags.Seen)
        | (labelIds.Contains("STARRED") ? MessageFlags.Flagged : MessageFlags.None)
        | (labelIds.Contains("DRAFT") ? MessageFlags.Draft : MessageFlags.None);

    /// <summary>
    /// The folder a label is kept as, or null for labels that are no folder. A system role already held by a stored
    /// folder (the localized one Gmail over IMAP listed) keeps that folder.
    /// </summary>
    public static (string Label, string Path, FolderRole Role)? Folder(GmailApiLabel label, IReadOnlyList<StoredFolder> stored, StoredFolder allMail)
    {
        if (label.Id is Spam or Trash or Unread or "CHAT")
            return null;
        if (System.TryGetValue(label.Id, out var known))
        {
            if (known.Role is not (FolderRole.None or FolderRole.Inbox) && stored.FirstOrDefault(f => f.Role == known.Role && f.Id != allMail.Id) is { } byRole)
                return (known.Label, byRole.Path, known.Role);
            // "[Google Mail]/Important" beside a localized All Mail.
            if (allMail.Path.LastIndexOf('/') is var cut and > 0 && label.Id == "IMPORTANT")
                return (known.Label, allMail.Path[..(cut + 1)] + "Important", known.Role);
            return known;
        }
        if (label.Id.StartsWith("CATEGORY_", StringComparison.Ordinal))
        {
            var name = label.Id["CATEGORY_".Length..];
            return (label.Id, "[Gmail]/Categories/" + char.ToUpperInvariant(name[0]) + name[1..].ToLowerInvariant(), FolderRole.None);
        }
        return label.IsSystem ? null : (label.Name, label.Name, FolderRole.None);
    }
}
