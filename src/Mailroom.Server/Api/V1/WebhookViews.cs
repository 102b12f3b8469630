using Mailroom.Core.Events;

namespace Mailroom.Server.Api.V1;

/// <summary>What <c>POST /v1/webhooks</c> takes. Without a secret one is generated; either way it is shown once, in the answer.</summary>
internal sealed record CreateWebhookRequest(string? Url, IReadOnlyList<string>? EventTypes, string? Secret);

/// <summary>A webhook subscription. <see cref="Secret"/> only in the answer that created it.</summary>
internal sealed record WebhookView(long Id, string Url, IReadOnlyList<string> EventTypes, DateTimeOffset CreatedAt, string? Secret = null)
{
    public static WebhookView From(WebhookSubscription s, string? secret = null) => new(s.Id, s.Url.AbsoluteUri, s.EventTypes, s.CreatedAt, secret);
}

internal sealed record WebhookList(IReadOnlyList<WebhookView> Webhooks);

/// <summary>One attempt of a delivery.</summary>
internal sealed record AttemptView(int Attempt, DateTimeOffset StartedAt, double DurationMs, bool Succeeded, int? StatusCode, string? Error);

/// <summary>One event to one webhook: <c>pending</c> (with the time of its next attempt), <c>succeeded</c> or <c>failed</c>.</summary>
internal sealed record DeliveryView(
    long Id, long WebhookId, long EventId, string EventType, string State, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? CompletedAt, int? LastStatusCode, string? LastError, IReadOnlyList<AttemptView>? AttemptLog)
{
    public static DeliveryView From(WebhookDelivery d, bool withAttempts) => new(
        d.Id, d.SubscriptionId, d.EventId, d.EventType, EnumWords.Of(d.State), d.Attempts, d.CreatedAt,
        d.State == WebhookDeliveryState.Pending ? d.NextAttemptAt : null, d.CompletedAt, d.LastStatusCode, d.LastError,
        withAttempts ? [.. d.AttemptLog.Select(a => new AttemptView(a.Attempt, a.StartedAt, a.Duration.TotalMilliseconds, a.Succeeded, a.StatusCode, a.Error))] : null);
}

/// <summary>A page of deliveries, newest first; <see cref="NextCursor"/> asks for the older ones (null at the end).</summary>
internal sealed record DeliveryPage(IReadOnlyList<DeliveryView> Deliveries, string? NextCursor);
