namespace Mailroom.Core.Connectors;

/// <summary>
/// One authorized client of a mailbox's Gmail REST API (users/me). Every call has a deadline, is retried on rate
/// limits and server errors, and classifies what it cannot overcome as <see cref="ConnectorException"/>.
/// </summary>
public interface IGmailApiSession : IAsyncDisposable
{
    /// <summary>Counters of what went over the wire (bodies, bytes, HTTP requests).</summary>
    SessionCounters Counters { get; }

    /// <summary>users.getProfile: the address and the mailbox's current history id.</summary>
    Task<GmailApiProfile> GetProfileAsync(CancellationToken cancellationToken);

    /// <summary>users.labels.list.</summary>
    Task<IReadOnlyList<GmailApiLabel>> ListLabelsAsync(CancellationToken cancellationToken);

    /// <summary>One page of users.messages.list (newest first), of every message outside Spam and Trash or of one label.</summary>
    Task<GmailApiIdPage> ListMessagesAsync(string? labelId, string? pageToken, CancellationToken cancellationToken);

    /// <summary>
    /// The raw MIME, labels and internal date of each message (users.messages.get format=raw, batched), calling
    /// <paramref name="onMessage"/> as each arrives. Messages the server no longer has are skipped.
    /// </summary>
    Task FetchRawAsync(
        IReadOnlyList<string> ids, Func<GmailApiMessage, CancellationToken, ValueTask> onMessage, CancellationToken cancellationToken);

    /// <summary>
    /// users.watch: Gmail publishes a notification to the Cloud Pub/Sub <paramref name="topic"/> when the mailbox changes.
    /// Returns when the watch expires (it must be renewed before).
    /// </summary>
    Task<DateTimeOffset> WatchAsync(string topic, CancellationToken cancellationToken);

    /// <summary>users.stop: Gmail stops publishing the mailbox's changes (its watch ends now, not at expiry).</summary>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>One page of users.history.list from <paramref name="startHistoryId"/>; null when Gmail no longer has that history (404).</summary>
    Task<GmailHistoryPage?> ListHistoryAsync(ulong startHistoryId, string? pageToken, CancellationToken cancellationToken);
}
