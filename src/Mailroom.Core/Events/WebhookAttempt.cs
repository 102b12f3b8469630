namespace Mailroom.Core.Events;

/// <summary>One POST of a delivery: when, how long, what the receiver answered or what went wrong.</summary>
public sealed record WebhookAttempt(
    int Attempt, DateTimeOffset StartedAt, TimeSpan Duration, bool Succeeded, int? StatusCode, string? Error);
