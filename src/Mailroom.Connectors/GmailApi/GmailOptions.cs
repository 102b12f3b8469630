namespace Mailroom.Connectors.GmailApi;

/// <summary>The Gmail API connector's settings: section <c>Gmail</c>.</summary>
public sealed class GmailOptions
{
    /// <summary>Where the Gmail REST API is (tests point it at a local fake).</summary>
    public string ApiBaseUrl { get; set; } = "https://gmail.googleapis.com";

    /// <summary>Where the Cloud Pub/Sub REST API is, for push notifications.</summary>
    public string PubSubBaseUrl { get; set; } = "https://pubsub.googleapis.com";

    /// <summary>
    /// The Cloud Pub/Sub topic Gmail publishes mailbox changes to (<c>projects/P/topics/T</c>); with
    /// <see cref="PubSubSubscription"/> and <see cref="PubSubCredentialsFile"/> it turns push on.
    /// </summary>
    public string? PubSubTopic { get; set; }

    /// <summary>The pull subscription on that topic (<c>projects/P/subscriptions/S</c>): read with Pub/Sub's REST pull, no public URL needed.</summary>
    public string? PubSubSubscription { get; set; }

    /// <summary>A Google service account key (JSON) allowed to pull and acknowledge on the subscription.</summary>
    public string? PubSubCredentialsFile { get; set; }

    /// <summary>A watch is renewed when less than this is left (Google's lasts 7 days: renewed daily).</summary>
    public TimeSpan WatchRenewBefore { get; set; } = TimeSpan.FromDays(6);

    /// <summary>With push, a mailbox that had no notification for this long is polled anyway.</summary>
    public TimeSpan PushSilence { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Push is on: topic, subscription and credentials are set.</summary>
    public bool PushEnabled => !string.IsNullOrEmpty(PubSubTopic) && !string.IsNullOrEmpty(PubSubSubscription);

    /// <summary>Without push, each mailbox's history is read this often.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Quota units a mailbox may spend per second (Gmail's per-user limit is 250; messages.get costs 5, messages.send 100):
    /// bursts such as an initial sync wait for the budget instead of being throttled.
    /// </summary>
    public int QuotaUnitsPerSecond { get; set; } = 250;

    /// <summary>Calls per batch request (Google allows 100 and advises 50).</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Batch requests of one mailbox in flight at once (Google limits concurrent requests per user).</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>Deadline of one HTTP request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Retries of a rate-limited, failed (5xx) or timed-out request before the session fails (and the worker backs off).</summary>
    public int MaxRetries { get; set; } = 8;

    /// <summary>First retry delay when the server gives no Retry-After; doubles per retry, with jitter, up to <see cref="RetryCap"/>.</summary>
    public TimeSpan RetryInitial { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryCap { get; set; } = TimeSpan.FromSeconds(64);

    /// <summary>Messages up to this size are sent as JSON <c>raw</c>; larger ones through the media upload endpoint.</summary>
    public int SimpleSendLimit { get; set; } = 5 * 1024 * 1024;

    /// <summary>Checks the settings once at start.</summary>
    public GmailOptions Validate()
    {
        foreach (var (name, url) in new[] { ("Gmail:ApiBaseUrl", ApiBaseUrl), ("Gmail:PubSubBaseUrl", PubSubBaseUrl) })
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
                throw new InvalidOperationException($"{name} must be an absolute http(s) URL, not '{url}'.");
        }
        if (PollInterval <= TimeSpan.Zero || QuotaUnitsPerSecond < 100 || BatchSize is < 1 or > 100 || MaxRetries < 0 || RequestTimeout <= TimeSpan.Zero
            || Concurrency is < 1 or > 16)
            throw new InvalidOperationException("Gmail: PollInterval and RequestTimeout must be positive, QuotaUnitsPerSecond at least 100 (one send), BatchSize 1 to 100, Concurrency 1 to 16, MaxRetries not negative.");
        if (PushEnabled && (string.IsNullOrEmpty(PubSubCredentialsFile) || !File.Exists(PubSubCredentialsFile)))
            throw new InvalidOperationException("Gmail push needs Gmail:PubSubCredentialsFile, an existing Google service account key (JSON).");
        if (!string.IsNullOrEmpty(PubSubTopic) != !string.IsNullOrEmpty(PubSubSubscription))
            throw new InvalidOperationException("Gmail push needs both Gmail:PubSubTopic and Gmail:PubSubSubscription.");
        if (PushSilence <= TimeSpan.Zero || WatchRenewBefore <= TimeSpan.Zero)
            throw new InvalidOperationException("Gmail:PushSilence and Gmail:WatchRenewBefore must be positive.");
        return this;
    }
}
