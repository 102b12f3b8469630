using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sync.Graph;

/// <summary>
/// Which Graph folders are synced, at which path, with which role. The role comes from the well-known name's folder id
/// (Graph v1.0 folders carry no well-known name, and display names are localized: "Posteingang" is the inbox only
/// because mailFolders/inbox says so). Deleted Items and Junk Email are skipped, with every folder under them.
/// </summary>
public static class GraphFolders
{
    public static IReadOnlyList<GraphFolderPlan> Plan(IReadOnlyList<GraphFolder> folders, IReadOnlyDictionary<string, string> wellKnownIds)
    {
        var byId = folders.ToDictionary(f => f.Id, StringComparer.Ordinal);
        var roleOf = new Dictionary<string, FolderRole>(StringComparer.Ordinal);
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, id) in wellKnownIds)
        {
            switch (name)
            {
                case GraphWellKnownFolders.Inbox: roleOf[id] = FolderRole.Inbox; break;
                case GraphWellKnownFolders.SentItems: roleOf[id] = FolderRole.Sent; break;
                case GraphWellKnownFolders.Drafts: roleOf[id] = FolderRole.Drafts; break;
                case GraphWellKnownFolders.Archive: roleOf[id] = FolderRole.Archive; break;
                case GraphWellKnownFolders.DeletedItems or GraphWellKnownFolders.JunkEmail: skipped.Add(id); break;
            }
        }

        var plans = new List<GraphFolderPlan>(folders.Count);
        foreach (var folder in folders)
        {
            var names = new List<string>();
            var skip = false;
            // Up the tree to the mailbox root (a parent not listed); the depth bound guards against a cycle in bad data.
            for (var f = folder; f is not null && names.Count <= folders.Count; f = f.ParentFolderId is { } p ? byId.GetValueOrDefault(p) : null)
            {
                if (skipped.Contains(f.Id))
                {
                    skip = true;
                    break;
                }
                names.Add(f.DisplayName.Replace('/', '_'));
            }
            if (!skip)
            {
                names.Reverse();
                plans.Add(new GraphFolderPlan(folder.Id, string.Join('/', names), roleOf.GetValueOrDefault(folder.Id, FolderRole.None)));
            }
        }
        // Paths are unique in a mailbox: two sibling folders of the same name (Graph allows it in different case) get their id.
        return [.. plans.GroupBy(p => p.Path, StringComparer.Ordinal)
            .SelectMany(g => g.Count() == 1 ? g : g.Select(p => p with { Path = $"{p.Path} ({p.RemoteId[^8..]})" }))];
    }

    /// <summary>isRead and flag as system flags.</summary>
    public static MessageFlags Flags(GraphMessageChange change) =>
        (change.IsRead ? MessageFlags.Seen : MessageFlags.None) | (change.Flagged ? MessageFlags.Flagged : MessageFlags.None);

    /// <summary>Categories as keywords (sorted): escaped, since a category may hold spaces and a keyword may not.</summary>
    public static IReadOnlyList<string> Keywords(GraphMessageChange change) =>
        [.. change.Categories.Select(Uri.EscapeDataString).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>A Graph message's identity key: its immutable id, the same in every folder it moves to.</summary>
    public static string ProviderId(string immutableId) => "ms:" + immutableId;
}
