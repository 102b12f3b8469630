namespace Mailroom.Core.Sync.GmailApi;

/// <summary>
/// Push for one Gmail API mailbox: the Pub/Sub topic its watch publishes to, how long before expiry the watch is
/// renewed, how long a silent push is trusted before the mailbox is polled anyway, and the wait for its next notification.
/// </summary>
/// <param name="WaitAsync">Completes when a notification for the mailbox arrived (since the last call), or after the time given.</param>
public sealed record GmailPush(string Topic, TimeSpan Renewal, TimeSpan Silence, Func<TimeSpan, CancellationToken, Task> WaitAsync);
