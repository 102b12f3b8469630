using Mailroom.Core.Events;

namespace Mailroom.Storage.Stores;

/// <summary>
/// <see cref="IWebhookStore"/> on EF Core. Dispatch reads the event log from a stored position (row-locked on
/// PostgreSQL, so concurrent dispatchers take turns) and the unique (subscription, event) index makes a second
/// dispatch of the same events add nothing. Claims are conditional UPDATEs like the outbox's (<c>FOR UPDATE SKIP
/// LOCKED</c> on PostgreSQL); every completion names the claim.
/// </summary>
internal sealed partial class EfWebhookStore(MailroomContextFactory contexts, TimeProvider time) : IWebhookStore
{
    private const string DispatchCursor = "webhooks";

    public async Task<WebhookSubscription> AddSubscriptionAsync(
        long organizationId, Uri url, string protectedSecret, IReadOnlyList<string> eventTypes, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        // Events committed from here on have higher ids (see PendingEvents): those are the ones this subscription gets.
        var start = await db.Events.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        var entity = new WebhookSubscriptionEntity
        {
            OrganizationId = organizationId,
            Url = url.AbsoluteUri,
            ProtectedSecret = protectedSecret,
            EventTypes = string.Join(' ', eventTypes),
            StartEventId = start,
            CreatedAt = time.GetUtcNow(),
        };
        db.WebhookSubscriptions.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        var stored = await db.WebhookSubscriptions.SingleAsync(s => s.Id == entity.Id, cancellationToken);
        return ToRecord(stored);
    }

    public async Task<IReadOnlyList<WebhookSubscription>> ListSubscriptionsAsync(long organizationId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var rows = await db.WebhookSubscriptions.Where(s => s.OrganizationId == organizationId).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        return [.. rows.Select(ToRecord)];
    }

    public async Task<WebhookSubscription?> GetSubscriptionAsync(long organizationId, long id, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var row = await db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.OrganizationId == organizationId && s.Id == id, cancellationToken);
        return row is null ? null : ToRecord(row);
    }

    public async Task<bool> RemoveSubscriptionAsync(long organizationId, long id, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        // Deliveries and their attempts go by ON DELETE CASCADE.
        return await db.WebhookSubscriptions.Where(s => s.OrganizationId == organizationId && s.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(
        long organizationId, long subscriptionId, long? before, int limit, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var query = db.WebhookDeliveries.Where(d => d.OrganizationId == organizationId && d.SubscriptionId == subscriptionId);
        if (before is { } b)
            query = query.Where(d => d.Id < b);
        var rows = await query.OrderByDescending(d => d.Id).Take(limit).ToListAsync(cancellationToken);
        return [.. rows.Select(ToRecord)];
    }

    public async Task<WebhookDelivery?> GetDeliveryAsync(long organizationId, long deliveryId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var row = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.OrganizationId == organizationId && d.Id == deliveryId, cancellationToken);
        if (row is null)
            return null;
        var attempts = await db.WebhookAttempts.Where(a => a.DeliveryId == deliveryId).OrderBy(a => a.Attempt).ThenBy(a => a.Id).ToListAsync(cancellationToken);
        return ToRecord(row) with { AttemptLog = [.. attempts.Select(ToRecord)] };
    }

    public async Task<bool> RedeliverAsync(long organizationId, long deliveryId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        // A sender still holding it loses its claim: its result no longer applies, and the new attempt is made.
        return await db.WebhookDeliveries.Where(d => d.OrganizationId == organizationId && d.Id == deliveryId).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.State, WebhookDeliveryState.Pending)
            .SetProperty(d => d.NextAttemptAt, now)
            .SetProperty(d => d.RetrySince, now)
            .SetProperty(d => d.CompletedAt, (DateTimeOffset?)null)
            .SetProperty(d => d.ClaimToken, (Guid?)null)
            .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null), cancellationToken) > 0;
    }

    private static WebhookSubscription ToRecord(WebhookSubscriptionEntity s) => new(
        s.Id, s.OrganizationId, new Uri(s.Url), s.EventTypes.Length == 0 ? [] : s.EventTypes.Split(' '), s.CreatedAt, s.StartEventId);

    private static WebhookDelivery ToRecord(WebhookDeliveryEntity d) => new(
        d.Id, d.SubscriptionId, d.OrganizationId, d.EventId, d.EventType, d.State, d.Attempts, d.CreatedAt, d.NextAttemptAt,
        d.CompletedAt, d.LastStatusCode, d.LastError);

    private static WebhookAttempt ToRecord(WebhookAttemptEntity a) => new(
        a.Attempt, a.StartedAt, TimeSpan.FromMilliseconds(a.DurationMs), a.Succeeded, a.StatusCode, a.Error);
}
