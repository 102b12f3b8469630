namespace Mailroom.Connectors.Ews;

/// <summary>The EWS connector's settings: section <c>Ews</c>.</summary>
public sealed class EwsOptions
{
    /// <summary>RequestServerVersion sent with every request (Exchange 2013 SP1 and later understand everything used).</summary>
    public string ServerVersion { get; set; } = "Exchange2013_SP1";

    /// <summary>Without notifications, each mailbox's folders are synced this often.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Follow the mailbox with a streaming subscription (GetStreamingEvents) and sync as soon as an event arrives; the
    /// poll stays the fallback where Exchange offers no streaming.
    /// </summary>
    public bool Streaming { get; set; } = true;

    /// <summary>How long one GetStreamingEvents connection stays open (1 to 30 minutes); opening the next renews the subscription.</summary>
    public int StreamingMinutes { get; set; } = 30;

    /// <summary>MaxChangesReturned of SyncFolderItems (Exchange allows 1 to 512).</summary>
    public int MaxChangesReturned { get; set; } = 512;

    /// <summary>Items per GetItem request for MIME content (one request fetches many bodies).</summary>
    public int GetItemBatchSize { get; set; } = 50;

    /// <summary>Deadline of one HTTP request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Retries of a busy, throttled or failed request before the session fails (and the worker backs off).</summary>
    public int MaxRetries { get; set; } = 8;

    /// <summary>First retry delay when Exchange names none; doubles per retry, with jitter, up to <see cref="RetryCap"/>.</summary>
    public TimeSpan RetryInitial { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between tries, BackOffMilliseconds included (Exchange may ask for minutes).</summary>
    public TimeSpan RetryCap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Checks the settings once at start.</summary>
    public EwsOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(ServerVersion))
            throw new InvalidOperationException("Ews:ServerVersion must name an Exchange version such as Exchange2013_SP1.");
        if (StreamingMinutes is < 1 or > 30)
            throw new InvalidOperationException("Ews:StreamingMinutes must be 1 to 30 (GetStreamingEvents' ConnectionTimeout).");
        if (MaxChangesReturned is < 1 or > 512 || GetItemBatchSize is < 1 or > 500)
            throw new InvalidOperationException("Ews: MaxChangesReturned must be 1 to 512 and GetItemBatchSize 1 to 500.");
        if (PollInterval <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero || MaxRetries < 0 || RetryInitial < TimeSpan.Zero || RetryCap < RetryInitial)
            throw new InvalidOperationException("Ews: PollInterval and RequestTimeout must be positive, MaxRetries not negative, RetryCap at least RetryInitial.");
        return this;
    }
}
