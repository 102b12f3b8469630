using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.Ews;

/// <summary>What a response message carried besides its status; each operation fills the parts it has.</summary>
internal sealed class EwsContent
{
    public string? SyncState { get; set; }

    /// <summary>Subscribe's SubscriptionId.</summary>
    public string? SubscriptionId { get; set; }

    /// <summary>IncludesLastItemInRange (SyncFolderItems, FindItem's RootFolder) or IncludesLastFolderInRange.</summary>
    public bool? IncludesLastInRange { get; set; }

    public List<EwsItemChange> ItemChanges { get; } = [];

    public List<EwsFolderChange> FolderChanges { get; } = [];

    /// <summary>Items of GetItem, FindItem and CreateItem (MIME only when asked for).</summary>
    public List<EwsItemFields> Items { get; } = [];

    /// <summary>Folders of GetFolder and FindFolder.</summary>
    public List<EwsFolder> Folders { get; } = [];
}
