namespace Mailroom.Core.Events;

/// <summary>
/// The result of one attempt of a claimed delivery. <see cref="NextAttemptAt"/> is set when it failed and will be
/// tried again; a failure without it fails the delivery for good.
/// </summary>
public sealed record DeliveryOutcome(
    ClaimedDelivery Claim, DateTimeOffset StartedAt, TimeSpan Duration, bool Succeeded, int? StatusCode, string? Error,
    DateTimeOffset? NextAttemptAt);
