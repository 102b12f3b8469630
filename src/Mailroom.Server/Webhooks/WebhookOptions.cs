using System.Net;

namespace Mailroom.Server.Webhooks;

/// <summary>Webhook delivery (configuration section <c>Webhooks</c>).</summary>
internal sealed class WebhookOptions
{
    /// <summary>Deadline of one attempt: connect, send, and the receiver's status line (default 10 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Backoff after a failed attempt: doubling from this (default 10 s) ...</summary>
    public TimeSpan RetryInitial { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>... up to this (default 1 hour), with full jitter.</summary>
    public TimeSpan RetryCap { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A delivery still failing this long after it was made (or redelivered) fails for good (default 24 hours).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the worker looks at the database for events and due retries (commits in this process wake it at once). Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a worker holds the deliveries it claimed; a dead worker's claims are taken over after this (default 1 min).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Deliveries claimed at once (default 100).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Requests in flight at once per worker (default 16).</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>
    /// Private, loopback or otherwise internal networks (CIDR, e.g. <c>127.0.0.1/32</c>, <c>10.0.0.0/8</c>) that
    /// webhook URLs may reach anyway. Empty by default: only public addresses are dialled, as for the image proxy.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    public IReadOnlyList<IPNetwork> ParsedNetworks { get; private set; } = [];

    public WebhookOptions Validate()
    {
        if (Timeout <= TimeSpan.Zero || RetryInitial <= TimeSpan.Zero || RetryCap < RetryInitial || GiveUpAfter <= TimeSpan.Zero
            || PollInterval <= TimeSpan.Zero)
            throw new InvalidOperationException("Webhooks: Timeout, RetryInitial, GiveUpAfter and PollInterval must be positive and RetryCap at least RetryInitial.");
        if (Lease <= Timeout)
            throw new InvalidOperationException("Webhooks:Lease must be longer than Webhooks:Timeout, or another worker takes over deliveries in flight.");
        if (BatchSize is < 1 or > 1000 || Concurrency is < 1 or > 256)
            throw new InvalidOperationException("Webhooks:BatchSize must be 1 to 1000 and Webhooks:Concurrency 1 to 256.");
        ParsedNetworks = [.. AllowedNetworks.Select(n => IPNetwork.TryParse(n, out var network)
            ? network
            : throw new InvalidOperationException($"Webhooks:AllowedNetworks: '{n}' is not a network in CIDR notation."))];
        return this;
    }
}
