namespace Mailroom.Storage.Model;

/// <summary>
/// One row of the event log (the transactional outbox of changes). Written only through <see cref="PendingEvents"/>,
/// as the last statements of the transaction that made the change, so ids follow commit order.
/// </summary>
internal sealed class EventEntity
{
    public long Id { get; set; }
    public long OrganizationId { get; set; }
    public required string Type { get; set; }
    public long? MailboxId { get; set; }
    public long? MessageId { get; set; }
    public long? ThreadId { get; set; }
    public long? ContactId { get; set; }
    public long? OutboxId { get; set; }

    /// <summary>The event's JSON object.</summary>
    public required string Data { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
