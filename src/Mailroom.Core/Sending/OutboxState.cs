namespace Mailroom.Core.Sending;

/// <summary>Where a send request is: queued → sending → sent | retrying | failed.</summary>
public enum OutboxState
{
    /// <summary>Persisted, not yet tried.</summary>
    Queued = 0,

    /// <summary>Being submitted right now. Found after a crash (its lease run out), the outcome is unknown: it is sent again.</summary>
    Sending = 1,

    /// <summary>The server accepted it (250 after DATA).</summary>
    Sent = 2,

    /// <summary>A temporary failure (4xx, network); tried again at <see cref="OutboxItem.NextAttemptAt"/>.</summary>
    Retrying = 3,

    /// <summary>A permanent failure (5xx), or temporary ones for longer than allowed; the server's reply is kept.</summary>
    Failed = 4,
}
