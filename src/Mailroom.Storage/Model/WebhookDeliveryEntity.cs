using Mailroom.Core.Events;

namespace Mailroom.Storage.Model;

/// <summary>One event to one subscription; leased to a sender like an outbox row.</summary>
internal sealed class WebhookDeliveryEntity
{
    public long Id { get; set; }
    public long SubscriptionId { get; set; }
    public long OrganizationId { get; set; }
    public long EventId { get; set; }
    public required string EventType { get; set; }
    public WebhookDeliveryState State { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Start of the retry window: creation, or the last manual redelivery.</summary>
    public DateTimeOffset RetrySince { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public Guid? ClaimToken { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
}
