namespace Mailroom.Core.Connectors;

/// <summary>How much a server tells about changes since a checkpoint (RFC 7162).</summary>
public enum ChangeTracking
{
    /// <summary>Nothing: flag changes and expunges are only found by comparing every UID and flag.</summary>
    None = 0,

    /// <summary>CONDSTORE: mod-sequences; CHANGEDSINCE returns flag changes and arrivals, not expunges.</summary>
    CondStore = 1,

    /// <summary>QRESYNC enabled: CHANGEDSINCE also returns the UIDs expunged since (VANISHED (EARLIER)).</summary>
    QResync = 2,
}
