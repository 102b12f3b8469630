namespace Mailroom.Core.Connectors;

/// <summary>The kinds of change EWS synchronization reports (types.xsd SyncFolderItemsChangesType).</summary>
public enum EwsChangeKind
{
    Create = 0,
    Update = 1,
    Delete = 2,

    /// <summary>Only the read flag changed: no other property needs reading.</summary>
    ReadFlagChange = 3,
}
