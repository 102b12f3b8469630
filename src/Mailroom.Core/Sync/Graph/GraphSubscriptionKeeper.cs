using Mailroom.Core.Connectors;

namespace Mailroom.Core.Sync.Graph;

/// <summary>
/// Keeps one mailbox's change-notification subscription alive for its worker: made (after removing this service's
/// stale ones for the same resource, left by a process that was killed) before the first delta, renewed before it
/// expires, reauthorized when Graph asks, made again when Graph removed it, deleted when the worker stops. Each new
/// subscription gets a new random clientState.
/// </summary>
internal sealed class GraphSubscriptionKeeper(long mailboxId, GraphPush push, TimeProvider time)
{
    private string? _id;
    private DateTimeOffset _expires;

    /// <summary>How long the worker may wait for a notification before it must renew or poll.</summary>
    public TimeSpan Wait
    {
        get
        {
            var untilRenewal = _expires - push.RenewBefore - time.GetUtcNow();
            return untilRenewal < TimeSpan.Zero ? TimeSpan.Zero : untilRenewal < push.Silence ? untilRenewal : push.Silence;
        }
    }

    /// <summary>
    /// Makes the subscription if there is none, renews it when it is about to expire. False when Graph refused to make
    /// one (its validation request did not reach the notification URL, say): the mailbox then polls, and the next
    /// round tries again, so a wrong Graph:NotificationUrl slows mailboxes down but never stops them.
    /// </summary>
    public async Task<bool> EnsureAsync(IGraphSession session, CancellationToken cancellationToken)
    {
        try
        {
            await EnsureSubscribedAsync(session, cancellationToken);
            return true;
        }
        catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.CommandFailed)
        {
            Forget();
            return false;
        }
    }

    private async Task EnsureSubscribedAsync(IGraphSession session, CancellationToken cancellationToken)
    {
        if (_id is { } id && _expires - time.GetUtcNow() < push.RenewBefore)
        {
            if (await session.RenewSubscriptionAsync(id, time.GetUtcNow() + push.Lifetime, cancellationToken) is { } expires)
                _expires = expires;
            else
                Forget(); // Graph no longer has it: make a new one
        }
        if (_id is not null)
            return;
        foreach (var stale in await session.ListSubscriptionsAsync(cancellationToken))
        {
            if (string.Equals(stale.NotificationUrl, push.NotificationUrl, StringComparison.Ordinal)
                && string.Equals(stale.Resource.Trim('/'), session.SubscriptionResource, StringComparison.OrdinalIgnoreCase))
                await session.DeleteSubscriptionAsync(stale.Id, cancellationToken);
        }
        var clientState = GraphNotifications.NewClientState();
        var made = await session.CreateSubscriptionAsync(push.NotificationUrl, clientState, time.GetUtcNow() + push.Lifetime, cancellationToken);
        push.Notifications.Register(mailboxId, made.Id, clientState);
        (_id, _expires) = (made.Id, made.ExpirationDateTime);
    }

    /// <summary>Acts on lifecycle events; the caller then runs the delta (for them as for a change).</summary>
    public async Task HandleAsync(GraphPushEvents events, IGraphSession session, CancellationToken cancellationToken)
    {
        if (events.HasFlag(GraphPushEvents.SubscriptionRemoved))
            Forget();
        else if (events.HasFlag(GraphPushEvents.ReauthorizationRequired) && _id is { } id
            && !await session.ReauthorizeSubscriptionAsync(id, cancellationToken))
            Forget();
    }

    /// <summary>The worker stops (mailbox removed, serve stopping): Graph stops posting for it.</summary>
    public async Task DeleteAsync(IGraphSession session)
    {
        if (_id is not { } id)
            return;
        Forget();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10), time);
        try
        {
            await session.DeleteSubscriptionAsync(id, deadline.Token);
        }
        catch (Exception ex) when (ex is ConnectorException or OperationCanceledException)
        {
            // It expires by itself; a later worker for the mailbox removes it as stale.
        }
    }

    private void Forget()
    {
        if (_id is { } id)
            push.Notifications.Unregister(id);
        _id = null;
    }
}
