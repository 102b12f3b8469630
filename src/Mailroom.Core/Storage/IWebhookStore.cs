using Mailroom.Core.Events;

namespace Mailroom.Core.Storage;

/// <summary>
/// Webhook subscriptions and deliveries. Deliveries are made from the event log (<see cref="DispatchAsync"/>) and
/// leased to senders like the outbox's rows, so several processes sharing a database never post one at once.
/// Every query that takes an organization is scoped by it.
/// </summary>
public interface IWebhookStore
{
    /// <summary>Adds a subscription; it receives events committed from now on.</summary>
    Task<WebhookSubscription> AddSubscriptionAsync(
        long organizationId, Uri url, string protectedSecret, IReadOnlyList<string> eventTypes, CancellationToken cancellationToken);

    Task<IReadOnlyList<WebhookSubscription>> ListSubscriptionsAsync(long organizationId, CancellationToken cancellationToken);

    Task<WebhookSubscription?> GetSubscriptionAsync(long organizationId, long id, CancellationToken cancellationToken);

    /// <summary>Removes a subscription and its deliveries; false when the organization has no such subscription.</summary>
    Task<bool> RemoveSubscriptionAsync(long organizationId, long id, CancellationToken cancellationToken);

    /// <summary>A subscription's deliveries, newest first, below <paramref name="before"/> (a delivery id) when given.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(
        long organizationId, long subscriptionId, long? before, int limit, CancellationToken cancellationToken);

    /// <summary>One delivery with its attempt log.</summary>
    Task<WebhookDelivery?> GetDeliveryAsync(long organizationId, long deliveryId, CancellationToken cancellationToken);

    /// <summary>Makes a delivery due now again (whatever its state); false when the organization has no such delivery.</summary>
    Task<bool> RedeliverAsync(long organizationId, long deliveryId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the deliveries of up to <paramref name="max"/> events after the dispatch position, one per matching
    /// subscription, and moves the position past them. Returns the number of events read.
    /// </summary>
    Task<int> DispatchAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>Leases up to <paramref name="max"/> pending deliveries that are due, oldest first.</summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>Records attempts and their effect on the deliveries (those still held by the claim), in one transaction.</summary>
    Task CompleteAsync(IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken cancellationToken);
}
