namespace Mailroom.Core.Sending;

/// <summary>How the outbox sends. Bound from configuration section <c>Outbox</c>.</summary>
public sealed class OutboxOptions
{
    /// <summary>How long a claimed row is held. A sender that dies leaves its rows to others after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Rows claimed at once (sent over one SMTP connection per mailbox).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>The first retry after a temporary failure; doubling, with full jitter, up to <see cref="RetryCap"/>.</summary>
    public TimeSpan RetryInitial { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryCap { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A message still failing temporarily this long after it was queued fails for good.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How often <c>serve</c> looks for due rows when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long after sending to look in Sent for the server's own copy before appending one (mailboxes not yet known).</summary>
    public TimeSpan SentCopyWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often Sent is searched during <see cref="SentCopyWait"/>.</summary>
    public TimeSpan SentCopyPoll { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest one message may take to submit; a lease shorter than this left is renewed first.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The shortest time between two writes of send outcomes (see <c>OutcomeRecorder</c>): outcomes that arrive faster
    /// are recorded together in one transaction. Zero records each as soon as the previous write is done. A process
    /// that dies within this (plus one write) of a server's 250 re-sends that message after its lease.
    /// </summary>
    public TimeSpan RecordInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <exception cref="InvalidOperationException">A setting is out of range.</exception>
    public OutboxOptions Validate()
    {
        if (BatchSize is < 1 or > 1000)
            throw new InvalidOperationException($"Outbox:BatchSize must be between 1 and 1000 (was {BatchSize}).");
        if (Lease < TimeSpan.FromSeconds(1) || RetryInitial <= TimeSpan.Zero || RetryCap < RetryInitial || PollInterval <= TimeSpan.Zero
            || SentCopyPoll <= TimeSpan.Zero || SentCopyWait < TimeSpan.Zero || SendTimeout <= TimeSpan.Zero || GiveUpAfter <= TimeSpan.Zero)
            throw new InvalidOperationException("Outbox: Lease ≥ 1 s, positive RetryInitial ≤ RetryCap, positive PollInterval, SentCopyPoll, SendTimeout and GiveUpAfter are required.");
        if (RecordInterval < TimeSpan.Zero || RecordInterval > TimeSpan.FromSeconds(10))
            throw new InvalidOperationException($"Outbox:RecordInterval must be between 0 and 10 seconds (was {RecordInterval}).");
        return this;
    }
}
