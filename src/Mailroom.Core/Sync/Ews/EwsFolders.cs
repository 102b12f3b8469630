using System.Globalization;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync.Graph;

namespace Mailroom.Core.Sync.Ews;

/// <summary>
/// Which EWS folders are synced, and how an item is known. The folder rules are Graph's (<see cref="GraphFolders.Plan"/>):
/// EWS's distinguished folder ids have the same names as Graph's well-known ones, roles come from them and never from
/// localized display names, and Deleted Items and Junk Email are skipped with everything under them. Only mail folders
/// (FolderClass IPF.Note) are kept: calendars and contacts share the tree.
/// </summary>
public static class EwsFolders
{
    /// <summary>The distinguished folder ids asked for: the roles, and the folders skipped.</summary>
    public static IReadOnlyList<string> Distinguished => GraphWellKnownFolders.All;

    public static IReadOnlyList<GraphFolderPlan> Plan(IEnumerable<EwsFolder> folders, IReadOnlyDictionary<string, string> distinguishedIds) =>
        GraphFolders.Plan([.. folders.Where(f => f.IsMail).Select(f => new GraphFolder(f.Id, f.DisplayName, f.ParentId, 0))], distinguishedIds);

    /// <summary>IsRead as \Seen: the one flag the item shape carries.</summary>
    public static MessageFlags Flags(bool isRead) => isRead ? MessageFlags.Seen : MessageFlags.None;

    /// <summary>
    /// A message's identity. Exchange gives an item a new ItemId when it moves, so the id cannot be what survives a
    /// move: an item is found first by its ItemId (the membership's remote id, in its folder), and across folders by
    /// its Internet Message-ID and size, which a move keeps. An item without a Message-ID is its ItemId alone.
    /// </summary>
    public static string ProviderId(string itemId, string? internetMessageId, long? size) =>
        internetMessageId is { Length: > 0 } id && size is { } s
            ? "ews:" + id + "#" + s.ToString(CultureInfo.InvariantCulture)
            : "ews:" + itemId;
}
