namespace Mailroom.Core.Sync.Graph;

/// <summary>What a mailbox's notifications said since its worker last looked (several at once are one wake-up).</summary>
[Flags]
public enum GraphPushEvents
{
    None = 0,

    /// <summary>A change notification: run the delta (its content is never trusted as data).</summary>
    Changed = 1,

    /// <summary>Lifecycle <c>missed</c>: Graph dropped notifications; the delta catches up.</summary>
    Missed = 2,

    /// <summary>Lifecycle <c>reauthorizationRequired</c>: the subscription must be reauthorized (or it stops).</summary>
    ReauthorizationRequired = 4,

    /// <summary>Lifecycle <c>subscriptionRemoved</c>: Graph removed it; a new one is needed, and a delta for what passed meanwhile.</summary>
    SubscriptionRemoved = 8,
}
