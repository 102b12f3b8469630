using Mailroom.Core.Sync.Graph;

namespace Mailroom.Core.Tests.Sync.Graph;

/// <summary>Only a live subscription's own clientState wakes a worker; lifecycle events say what to do; several wake-ups are one.</summary>
public sealed class GraphNotificationsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Only_the_subscriptions_client_state_wakes_its_mailbox_and_events_accumulate_until_taken()
    {
        var notifications = new GraphNotifications();
        var state = GraphNotifications.NewClientState();
        Assert.True(state.Length >= 43 && state.Length <= 128);
        Assert.NotEqual(state, GraphNotifications.NewClientState());
        notifications.Register(7, "sub-1", state);

        Assert.Equal(GraphNotificationOutcome.UnknownSubscription, notifications.Accept("sub-2", state, null));
        Assert.Equal(GraphNotificationOutcome.WrongClientState, notifications.Accept("sub-1", state + "x", null));
        Assert.Equal(GraphNotificationOutcome.WrongClientState, notifications.Accept("sub-1", null, null));
        Assert.Equal(GraphPushEvents.None, await notifications.WaitAsync(7, TimeSpan.FromMilliseconds(50), TimeProvider.System, Ct));

        Assert.Equal(GraphNotificationOutcome.Accepted, notifications.Accept("SUB-1", state, null));
        Assert.Equal(GraphNotificationOutcome.Accepted, notifications.Accept("sub-1", state, "missed"));
        Assert.Equal(GraphNotificationOutcome.Accepted, notifications.Accept("sub-1", state, "reauthorizationRequired"));
        Assert.Equal(GraphPushEvents.Changed | GraphPushEvents.Missed | GraphPushEvents.ReauthorizationRequired,
            await notifications.WaitAsync(7, TimeSpan.FromSeconds(5), TimeProvider.System, Ct));
        Assert.Equal(GraphPushEvents.None, await notifications.WaitAsync(7, TimeSpan.FromMilliseconds(50), TimeProvider.System, Ct));
        Assert.Equal((4L, 3L), (notifications.Accepted + 1, notifications.Ignored));

        // A waiting worker wakes when its notification arrives; another mailbox's does not wake it.
        notifications.Register(8, "sub-8", "other");
        var waiting = notifications.WaitAsync(7, TimeSpan.FromSeconds(10), TimeProvider.System, Ct);
        notifications.Accept("sub-8", "other", null);
        await Task.Delay(50, Ct);
        Assert.False(waiting.IsCompleted);
        notifications.Accept("sub-1", state, "subscriptionRemoved");
        Assert.Equal(GraphPushEvents.SubscriptionRemoved, await waiting.WaitAsync(TimeSpan.FromSeconds(5), Ct));

        notifications.Unregister("sub-1");
        Assert.Equal(GraphNotificationOutcome.UnknownSubscription, notifications.Accept("sub-1", state, null));
    }
}
