namespace Mailroom.Core.Events;

/// <summary>
/// A delivery leased to one sender, with everything needed to post it. <see cref="RetrySince"/> starts the retry
/// window: when the delivery was made, or last redelivered by hand.
/// </summary>
public sealed record ClaimedDelivery(
    long DeliveryId,
    int Attempt,
    DateTimeOffset RetrySince,
    Uri Url,
    string ProtectedSecret,
    MailroomEvent Event,
    Guid ClaimToken);
