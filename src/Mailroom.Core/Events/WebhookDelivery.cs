namespace Mailroom.Core.Events;

/// <summary>One event to one subscription, with its attempts so far (newest last when listed with them).</summary>
public sealed record WebhookDelivery(
    long Id,
    long SubscriptionId,
    long OrganizationId,
    long EventId,
    string EventType,
    WebhookDeliveryState State,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? CompletedAt,
    int? LastStatusCode,
    string? LastError)
{
    public IReadOnlyList<WebhookAttempt> AttemptLog { get; init; } = [];
}
