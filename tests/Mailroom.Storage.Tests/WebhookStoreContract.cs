using Mailroom.Core.Events;
using Mailroom.Core.Storage;
using Mailroom.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Storage.Tests;

/// <summary><see cref="IWebhookStore"/>'s promises: organization scope, one delivery per event and subscription, exclusive claims.</summary>
public abstract class WebhookStoreContract<TDatabase>(TDatabase database)
    where TDatabase : TestDatabase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IWebhookStore Webhooks => database.Services.GetRequiredService<IWebhookStore>();

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private static readonly Uri Receiver = new("https://hooks.example.com/mailroom");

    private async Task DispatchAllAsync()
    {
        while (await Webhooks.DispatchAsync(database.Time.GetUtcNow(), 100, Ct) > 0)
        {
        }
    }

    private async Task<(long Organization, long Folder)> NewFolderAsync()
    {
        var mailbox = await database.NewMailboxAsync();
        return (mailbox.OrganizationId, (await database.NewFolderAsync(mailbox.Id, "INBOX")).Id);
    }

    [Fact]
    public async Task Subscriptions_belong_to_their_organization()
    {
        var (org, _) = await NewFolderAsync();
        var (other, _) = await NewFolderAsync();
        var added = await Webhooks.AddSubscriptionAsync(org, Receiver, "protected", ["message.*"], Ct);

        Assert.Equal(["message.*"], added.EventTypes);
        Assert.Equal(Receiver, (await Webhooks.GetSubscriptionAsync(org, added.Id, Ct))!.Url);
        Assert.Null(await Webhooks.GetSubscriptionAsync(other, added.Id, Ct));
        Assert.Empty(await Webhooks.ListSubscriptionsAsync(other, Ct));
        Assert.False(await Webhooks.RemoveSubscriptionAsync(other, added.Id, Ct));
        Assert.True(await Webhooks.RemoveSubscriptionAsync(org, added.Id, Ct));
        Assert.Empty(await Webhooks.ListSubscriptionsAsync(org, Ct));
    }

    [Fact]
    public async Task Dispatch_makes_one_delivery_per_matching_subscription_for_later_events_only()
    {
        var (org, folder) = await NewFolderAsync();
        await database.Messages.SaveMessagesAsync(folder, [TestMessages.Create(1, "before@example.com")], Ct);
        var all = await Webhooks.AddSubscriptionAsync(org, Receiver, "p", [], Ct);
        var threads = await Webhooks.AddSubscriptionAsync(org, Receiver, "p", ["thread.updated"], Ct);
        await database.Messages.SaveMessagesAsync(folder, [TestMessages.Create(2, "after@example.com")], Ct);

        // Dispatchers racing over the same events add nothing twice.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(DispatchAllAsync, Ct)));
        await DispatchAllAsync();

        var toAll = await Webhooks.ListDeliveriesAsync(org, all.Id, null, 100, Ct);
        var toThreads = await Webhooks.ListDeliveriesAsync(org, threads.Id, null, 100, Ct);
        Assert.Equal([EventTypes.ThreadUpdated, EventTypes.MessageCreated], toAll.Select(d => d.EventType));
        Assert.Equal([EventTypes.ThreadUpdated], toThreads.Select(d => d.EventType));
        Assert.All(toAll.Concat(toThreads), d => Assert.Equal((WebhookDeliveryState.Pending, 0), (d.State, d.Attempts)));
        Assert.Empty(await Webhooks.ListDeliveriesAsync(org + 1_000_000, all.Id, null, 100, Ct));
    }

    [Fact]
    public async Task Claims_are_exclusive_and_outcomes_are_logged()
    {
        var (org, folder) = await NewFolderAsync();
        var subscription = await Webhooks.AddSubscriptionAsync(org, Receiver, "secret-ciphertext", [EventTypes.MessageCreated], Ct);
        await database.Messages.SaveMessagesAsync(folder, [.. Enumerable.Range(1, 30).Select(i => TestMessages.Create((uint)i, $"c{i}@example.com"))], Ct);
        await DispatchAllAsync();
        var now = database.Time.GetUtcNow();

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Webhooks.ClaimAsync(now, Lease, 10, Ct), Ct)));
        var mine = claims.SelectMany(c => c).Where(c => c.Event.OrganizationId == org).ToList();
        Assert.Equal(30, mine.Count);
        Assert.Equal(30, mine.Select(c => c.DeliveryId).Distinct().Count());
        Assert.All(mine, c => Assert.Equal((1, Receiver, "secret-ciphertext", EventTypes.MessageCreated), (c.Attempt, c.Url, c.ProtectedSecret, c.Event.Type)));
        Assert.DoesNotContain(await Webhooks.ClaimAsync(now, Lease, 100, Ct), c => c.Event.OrganizationId == org);

        var ok = mine[0];
        var retry = mine[1];
        var giveUp = mine[2];
        await Webhooks.CompleteAsync(
        [
            new DeliveryOutcome(ok, now, TimeSpan.FromMilliseconds(12), true, 200, null, null),
            new DeliveryOutcome(retry, now, TimeSpan.FromMilliseconds(30), false, 503, "the receiver answered 503", now + TimeSpan.FromMinutes(2)),
            new DeliveryOutcome(giveUp, now, TimeSpan.FromSeconds(10), false, null, "timed out", null),
        ], Ct);

        var delivered = (await Webhooks.GetDeliveryAsync(org, ok.DeliveryId, Ct))!;
        Assert.Equal((WebhookDeliveryState.Succeeded, 1, 200), (delivered.State, delivered.Attempts, delivered.LastStatusCode));
        Assert.Equal([(1, true, (int?)200, (string?)null, 12.0)], delivered.AttemptLog.Select(a => (a.Attempt, a.Succeeded, a.StatusCode, a.Error, a.Duration.TotalMilliseconds)));
        Assert.Null(await Webhooks.GetDeliveryAsync(org + 1_000_000, ok.DeliveryId, Ct));
        var failed = (await Webhooks.GetDeliveryAsync(org, giveUp.DeliveryId, Ct))!;
        Assert.Equal((WebhookDeliveryState.Failed, "timed out"), (failed.State, failed.LastError));

        // The retry is due at its time, with the next attempt number; the others are not due any more.
        var later = (await Webhooks.ClaimAsync(now + TimeSpan.FromMinutes(3), Lease, 100, Ct)).Where(c => c.Event.OrganizationId == org).ToList();
        Assert.Contains(later, c => c.DeliveryId == retry.DeliveryId && c.Attempt == 2);
        Assert.DoesNotContain(later, c => c.DeliveryId == ok.DeliveryId || c.DeliveryId == giveUp.DeliveryId);

        // A manual redelivery makes a failed delivery due again, whatever its state; other organizations cannot.
        Assert.False(await Webhooks.RedeliverAsync(org + 1_000_000, giveUp.DeliveryId, now, Ct));
        Assert.True(await Webhooks.RedeliverAsync(org, giveUp.DeliveryId, now + TimeSpan.FromMinutes(4), Ct));
        var again = (await Webhooks.ClaimAsync(now + TimeSpan.FromMinutes(4), Lease, 100, Ct)).Where(c => c.Event.OrganizationId == org).ToList();
        var redelivered = Assert.Single(again, c => c.DeliveryId == giveUp.DeliveryId);
        Assert.Equal((2, now + TimeSpan.FromMinutes(4)), (redelivered.Attempt, redelivered.RetrySince));
        Assert.Equal(WebhookDeliveryState.Pending, (await Webhooks.GetDeliveryAsync(org, giveUp.DeliveryId, Ct))!.State);
        _ = subscription;
    }

    [Fact]
    public async Task A_completion_whose_claim_was_taken_over_changes_nothing_but_the_log()
    {
        var (org, folder) = await NewFolderAsync();
        await Webhooks.AddSubscriptionAsync(org, Receiver, "p", [EventTypes.MessageCreated], Ct);
        await database.Messages.SaveMessagesAsync(folder, [TestMessages.Create(1, "lease@example.com")], Ct);
        await DispatchAllAsync();
        var now = database.Time.GetUtcNow();
        var first = Assert.Single(await Webhooks.ClaimAsync(now, Lease, 100, Ct), c => c.Event.OrganizationId == org);
        var takeover = Assert.Single(await Webhooks.ClaimAsync(now + Lease + TimeSpan.FromSeconds(1), Lease, 100, Ct), c => c.Event.OrganizationId == org);

        await Webhooks.CompleteAsync([new DeliveryOutcome(first, now, TimeSpan.FromSeconds(1), true, 200, null, null)], Ct);
        Assert.Equal(WebhookDeliveryState.Pending, (await Webhooks.GetDeliveryAsync(org, first.DeliveryId, Ct))!.State);
        await Webhooks.CompleteAsync([new DeliveryOutcome(takeover, now, TimeSpan.FromSeconds(1), true, 204, null, null)], Ct);

        var delivery = (await Webhooks.GetDeliveryAsync(org, first.DeliveryId, Ct))!;
        Assert.Equal((WebhookDeliveryState.Succeeded, 204), (delivery.State, delivery.LastStatusCode));
        Assert.Equal(2, delivery.AttemptLog.Count);
    }
}
