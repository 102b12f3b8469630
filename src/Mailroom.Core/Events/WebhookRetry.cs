using Mailroom.Core.Sync;

namespace Mailroom.Core.Events;

/// <summary>
/// When a failed webhook delivery is tried again: capped exponential backoff with full jitter (<see cref="Backoff"/>),
/// until <paramref name="giveUpAfter"/> has passed since the delivery was created; then it fails for good.
/// </summary>
public sealed class WebhookRetry(TimeSpan initial, TimeSpan cap, TimeSpan giveUpAfter)
{
    private readonly Backoff _backoff = new(initial, cap);

    /// <summary>
    /// The time of the next attempt after attempt number <paramref name="attempt"/> (1-based) failed at
    /// <paramref name="now"/>, given a uniform sample <paramref name="jitter"/> in [0, 1); null when it gives up.
    /// </summary>
    public DateTimeOffset? Next(int attempt, DateTimeOffset createdAt, DateTimeOffset now, double jitter)
    {
        var deadline = createdAt + giveUpAfter;
        if (now >= deadline)
            return null;
        var next = now + _backoff.Delay(Math.Max(0, attempt - 1), jitter);
        // The last attempt happens at the deadline rather than never: a receiver back just in time still gets it.
        return next > deadline ? deadline : next;
    }
}
