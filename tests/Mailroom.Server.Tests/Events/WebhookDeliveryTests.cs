using System.Globalization;
using System.Text;
using System.Text.Json;
using Mailroom.Core.Accounts;
using Mailroom.Core.Events;
using Mailroom.Core.Storage;
using Mailroom.Server.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Server.Tests.Events;

/// <summary>The delivery worker against a local receiver: signature and headers, redirects, the egress guard, time-outs and retries.</summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private const string Secret = "whsec_delivery_test_secret";
    private WebhookReceiver _receiver = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    private static async Task<(long Org, long Folder, WebhookSubscription Subscription)> SubscribeAsync(EventsTestApp app, Uri url)
    {
        var (org, _, folder) = await app.NewMailboxAsync();
        var protector = app.Services.GetRequiredService<ISecretProtector>();
        var subscription = await app.Services.GetRequiredService<IWebhookStore>().AddSubscriptionAsync(
            org, url, protector.Protect(SecretPurposes.WebhookSecret, Secret), [EventTypes.MessageCreated], Ct);
        return (org, folder, subscription);
    }

    private static async Task<WebhookDelivery> OnlyDeliveryAsync(EventsTestApp app, long org, long subscription) =>
        (await app.Services.GetRequiredService<IWebhookStore>().GetDeliveryAsync(
            org, Assert.Single(await app.Services.GetRequiredService<IWebhookStore>().ListDeliveriesAsync(org, subscription, null, 10, Ct)).Id, Ct))!;

    [Fact]
    public async Task A_delivery_is_signed_over_timestamp_and_body_with_its_ids_in_headers()
    {
        await using var app = await EventsTestApp.StartAsync();
        var (org, folder, subscription) = await SubscribeAsync(app, _receiver.Url("/hook"));
        await app.IngestAsync(folder, 1, 1);

        Assert.Equal((2, 1), await app.Services.GetRequiredService<WebhookWorker>().PassAsync(Ct));

        var request = Assert.Single(_receiver.Requests);
        Assert.True(WebhookSignature.Verify(Secret, request.Headers[WebhookSignature.Header], request.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("another-secret-entirely", request.Headers[WebhookSignature.Header], request.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("message.created", body.GetProperty("type").GetString());
        Assert.Equal(body.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture), request.Headers[WebhookSender.EventIdHeader]);
        Assert.Equal("message.created", request.Headers[WebhookSender.EventTypeHeader]);
        Assert.Equal("1", request.Headers[WebhookSender.AttemptHeader]);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal("Message 1", body.GetProperty("data").GetProperty("subject").GetString());
        var delivery = await OnlyDeliveryAsync(app, org, subscription.Id);
        Assert.Equal(delivery.Id.ToString(CultureInfo.InvariantCulture), request.Headers[WebhookSender.DeliveryIdHeader]);
        Assert.Equal((WebhookDeliveryState.Succeeded, 204), (delivery.State, delivery.LastStatusCode));

        // The body is exactly what the changes feed shows for that event.
        var feed = (await app.Services.GetRequiredService<IEventStore>().ReadAsync(org, 0, 10, Ct)).Single(e => e.Id == delivery.EventId);
        Assert.Equal(WebhookSender.Body(feed), request.Body);
    }

    [Fact]
    public async Task A_redirect_is_a_failure_and_is_not_followed()
    {
        await using var app = await EventsTestApp.StartAsync();
        var (org, folder, subscription) = await SubscribeAsync(app, _receiver.Url("/moved"));
        await app.IngestAsync(folder, 1, 1);
        await app.Services.GetRequiredService<WebhookWorker>().PassAsync(Ct);

        Assert.Equal(["/moved"], _receiver.Requests.Select(r => r.Path));
        var delivery = await OnlyDeliveryAsync(app, org, subscription.Id);
        Assert.Equal((WebhookDeliveryState.Pending, 308), (delivery.State, delivery.LastStatusCode));
        Assert.Contains("redirects are not followed", delivery.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loopback_receivers_are_refused_unless_the_operator_allows_them()
    {
        await using var app = await EventsTestApp.StartAsync(new Dictionary<string, string?> { ["Webhooks:AllowedNetworks:0"] = "10.0.0.0/8" });
        // Stored directly (as before the creation check existed), so that the guard decides when dialling.
        var url = new UriBuilder(_receiver.Url("/hook")) { Host = "localhost" }.Uri;
        var (org, folder, subscription) = await SubscribeAsync(app, url);
        await app.IngestAsync(folder, 1, 1);
        await app.Services.GetRequiredService<WebhookWorker>().PassAsync(Ct);

        Assert.Empty(_receiver.Requests);
        var delivery = await OnlyDeliveryAsync(app, org, subscription.Id);
        Assert.Equal(WebhookDeliveryState.Pending, delivery.State);
        Assert.Contains("refused by the egress policy", delivery.LastError, StringComparison.Ordinal);
        Assert.Contains("loopback", delivery.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_or_failing_receiver_is_retried_with_backoff_until_it_answers()
    {
        await using var app = await EventsTestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Webhooks:Timeout"] = "00:00:00.500",
            ["Webhooks:RetryInitial"] = "00:00:00.200",
            ["Webhooks:RetryCap"] = "00:00:00.400",
        });
        var (org, folder, subscription) = await SubscribeAsync(app, _receiver.Url("/hook"));
        var worker = app.Services.GetRequiredService<WebhookWorker>();
        await app.IngestAsync(folder, 1, 1);

        _receiver.Delay = TimeSpan.FromSeconds(2);
        await worker.PassAsync(Ct);
        var slow = await OnlyDeliveryAsync(app, org, subscription.Id);
        Assert.Equal((WebhookDeliveryState.Pending, "no answer within 0.5 s"), (slow.State, slow.LastError));
        Assert.InRange(slow.NextAttemptAt - slow.AttemptLog[0].StartedAt, TimeSpan.Zero, TimeSpan.FromSeconds(1));

        _receiver.Delay = TimeSpan.Zero;
        _receiver.Status = 503;
        await Task.Delay(500, Ct);
        await worker.PassAsync(Ct);
        _receiver.Status = 200;
        await Task.Delay(500, Ct);
        await worker.PassAsync(Ct);

        var delivered = await OnlyDeliveryAsync(app, org, subscription.Id);
        Assert.Equal((WebhookDeliveryState.Succeeded, 3), (delivered.State, delivered.Attempts));
        Assert.Equal([(false, (int?)null), (false, 503), (true, 200)], delivered.AttemptLog.Select(a => (a.Succeeded, a.StatusCode)));
        Assert.Equal(["1", "2", "3"], _receiver.Requests.Select(r => r.Headers[WebhookSender.AttemptHeader]));
        Assert.Single(_receiver.Requests.Select(r => Encoding.UTF8.GetString(r.Body)).Distinct());
    }
}
