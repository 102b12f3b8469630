namespace Mailroom.Core.Sending;

/// <summary>
/// An outbox row this sender holds a lease on. Every state change is conditional on <see cref="ClaimToken"/>, so a
/// sender whose lease ran out (and was taken over) can change nothing.
/// </summary>
public sealed record ClaimedItem(OutboxItem Item, byte[] Raw, bool International, Guid ClaimToken, DateTimeOffset LeaseUntil);
