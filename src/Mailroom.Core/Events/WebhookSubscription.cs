namespace Mailroom.Core.Events;

/// <summary>
/// Where an organization wants its events posted. <see cref="EventTypes"/> filters them (empty: every type); only
/// events committed after the subscription was created are delivered. The secret is stored encrypted.
/// </summary>
public sealed record WebhookSubscription(
    long Id, long OrganizationId, Uri Url, IReadOnlyList<string> EventTypes, DateTimeOffset CreatedAt, long StartEventId);
