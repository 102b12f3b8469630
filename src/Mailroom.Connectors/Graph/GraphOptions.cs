namespace Mailroom.Connectors.Graph;

/// <summary>The Microsoft Graph connector's settings: section <c>Graph</c>.</summary>
public sealed class GraphOptions
{
    /// <summary>Graph's v1.0 endpoint (tests point it at a local fake).</summary>
    public string BaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    /// <summary>Without change notifications, each mailbox's delta is read this often.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The public URL at which Graph reaches <c>serve</c>'s notification endpoint (path <c>/graph/notifications</c>),
    /// e.g. <c>https://mailroom.example.com/graph/notifications</c>. Unset, mailboxes poll every <see cref="PollInterval"/>.
    /// </summary>
    public string? NotificationUrl { get; set; }

    /// <summary>How long a subscription is asked for; Graph allows message subscriptions up to 10,080 minutes.</summary>
    public TimeSpan SubscriptionLifetime { get; set; } = TimeSpan.FromDays(3);

    /// <summary>A subscription with less than this left is renewed.</summary>
    public TimeSpan SubscriptionRenewBefore { get; set; } = TimeSpan.FromDays(1);

    /// <summary>With notifications, a mailbox that heard nothing this long runs its delta anyway.</summary>
    public TimeSpan PushSilence { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Requests one mailbox may have in flight: Exchange Online allows 4 per mailbox and app.</summary>
    public int MaxConcurrentRequests { get; set; } = 4;

    /// <summary>Messages per delta page asked for (Prefer: odata.maxpagesize); Graph may send fewer.</summary>
    public int DeltaPageSize { get; set; } = 100;

    /// <summary>Deadline of one HTTP request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Retries of a throttled (429), unavailable (503, 504) or timed-out request before the session fails.</summary>
    public int MaxRetries { get; set; } = 8;

    /// <summary>First retry delay when Graph gives no Retry-After; doubles per retry, with jitter, up to <see cref="RetryCap"/>.</summary>
    public TimeSpan RetryInitial { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryCap { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Checks the settings once at start.</summary>
    public GraphOptions Validate()
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            throw new InvalidOperationException($"Graph:BaseUrl must be an absolute http(s) URL, not '{BaseUrl}'.");
        if (PollInterval <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero || MaxRetries < 0
            || MaxConcurrentRequests is < 1 or > 4 || DeltaPageSize is < 1 or > 1000)
            throw new InvalidOperationException("Graph: PollInterval and RequestTimeout must be positive, MaxRetries not negative, MaxConcurrentRequests 1 to 4 (Exchange's limit per mailbox), DeltaPageSize 1 to 1000.");
        if (NotificationUrl is not null)
        {
            // Graph posts only to https; plain http is allowed on the loopback interface for tests and local proxies.
            if (!Uri.TryCreate(NotificationUrl, UriKind.Absolute, out var notify) || !(notify.Scheme == "https" || (notify.Scheme == "http" && notify.IsLoopback)))
                throw new InvalidOperationException($"Graph:NotificationUrl must be an absolute https URL, not '{NotificationUrl}'.");
            if (SubscriptionLifetime > TimeSpan.FromMinutes(10080) || SubscriptionRenewBefore <= TimeSpan.Zero
                || SubscriptionRenewBefore >= SubscriptionLifetime || PushSilence <= TimeSpan.Zero)
                throw new InvalidOperationException("Graph: SubscriptionLifetime must be at most 10080 minutes and longer than SubscriptionRenewBefore, which must be positive; PushSilence must be positive.");
        }
        return this;
    }
}
