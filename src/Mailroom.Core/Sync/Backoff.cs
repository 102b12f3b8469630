namespace Mailroom.Core.Sync;

/// <summary>
/// Capped exponential backoff with full jitter: attempt n waits a random time in [0, min(cap, initial·2ⁿ)].
/// Jitter spreads reconnects of many mailboxes after a server restart instead of storming it at once.
/// </summary>
public sealed class Backoff(TimeSpan initial, TimeSpan cap)
{
    /// <summary>The delay before retry number <paramref name="attempt"/> (0-based), given a uniform sample in [0, 1).</summary>
    public TimeSpan Delay(int attempt, double jitter)
    {
        var ceiling = Math.Min(cap.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromMilliseconds(ceiling * Math.Clamp(jitter, 0, 1));
    }
}
