namespace Mailroom.Core.Events;

/// <summary>Where one delivery (one event to one subscription) stands.</summary>
public enum WebhookDeliveryState
{
    /// <summary>Waiting for its first attempt or its next retry.</summary>
    Pending,

    /// <summary>The receiver answered 2xx.</summary>
    Succeeded,

    /// <summary>Retries ran out (24 hours by default); a manual redelivery starts it again.</summary>
    Failed,
}
