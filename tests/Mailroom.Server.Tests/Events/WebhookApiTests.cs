using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mailroom.Server.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Server.Tests.Events;

/// <summary>The webhook endpoints: shapes, validation, organization isolation, deliveries and redelivery.</summary>
public sealed class WebhookApiTests : IAsyncLifetime
{
    private static readonly string[] MessagesAndSendFailures = ["message.*", "send.failed"];
    private static readonly string[] MessageCreated = ["message.created"];
    private EventsTestApp _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _app = await EventsTestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(long org, HttpMethod method, string path, object? body = null) =>
        SendAsync(_app, org, method, path, body);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(EventsTestApp app, long org, HttpMethod method, string path, object? body = null)
    {
        using var response = await app.Client.SendAsync(EventsTestApp.As(org, method, path, body is null ? null : JsonContent.Create(body)), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task A_webhook_is_created_listed_and_deleted_and_its_secret_shown_once()
    {
        var (org, _, _) = await _app.NewMailboxAsync();
        var (status, created) = await SendAsync(org, HttpMethod.Post, "/v1/webhooks", new { url = "https://hooks.example.com/in?token=1", eventTypes = MessagesAndSendFailures });

        Assert.Equal(HttpStatusCode.Created, status);
        var id = created.GetProperty("id").GetInt64();
        Assert.StartsWith("whsec_", created.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.Equal(["message.*", "send.failed"], created.GetProperty("eventTypes").EnumerateArray().Select(t => t.GetString()));
        var (_, list) = await SendAsync(org, HttpMethod.Get, "/v1/webhooks");
        var listed = Assert.Single(list.GetProperty("webhooks").EnumerateArray());
        Assert.Equal("https://hooks.example.com/in?token=1", listed.GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("secret").ValueKind);
        var (got, one) = await SendAsync(org, HttpMethod.Get, $"/v1/webhooks/{id}");
        Assert.Equal((HttpStatusCode.OK, id), (got, one.GetProperty("id").GetInt64()));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(org, HttpMethod.Delete, $"/v1/webhooks/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(org, HttpMethod.Delete, $"/v1/webhooks/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(org, HttpMethod.Get, $"/v1/webhooks/{id}")).Status);
    }

    [Fact]
    public async Task A_given_secret_is_kept_encrypted_and_used()
    {
        var (org, _, _) = await _app.NewMailboxAsync();
        var (_, created) = await SendAsync(org, HttpMethod.Post, "/v1/webhooks", new { url = "https://hooks.example.com/x", secret = "my-own-secret-0123456789" });
        Assert.Equal("my-own-secret-0123456789", created.GetProperty("secret").GetString());
        var subscription = (await _app.Services.GetRequiredService<Mailroom.Core.Storage.IWebhookStore>().ListSubscriptionsAsync(org, Ct)).Single();
        Assert.Empty(subscription.EventTypes);
    }

    [Theory]
    [InlineData("http://localhost/x", "localhost is always loopback")]
    [InlineData("http://LOCALHOST.:8080/x", "localhost is always loopback")]
    [InlineData("http://hooks.localhost/x", "localhost is always loopback")]
    [InlineData("http://localhost.localdomain/x", "localhost is always loopback")]
    [InlineData("http://box.localdomain/x", "localdomain")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", ".internal domain")]
    [InlineData("https://hooks.corp.internal/x", ".internal domain")]
    [InlineData("http://printer.local/x", "multicast DNS")]
    [InlineData("http://nas.home.arpa/x", "home network")]
    [InlineData("http://intranet/x", "single-label")]
    [InlineData("http://127.0.0.1/x", "loopback")]
    public async Task Names_that_can_only_be_internal_are_refused_like_internal_addresses(string url, string reason)
    {
        // No internal network allowed: the default configuration.
        await using var app = await EventsTestApp.StartAsync(new Dictionary<string, string?> { ["Webhooks:AllowedNetworks:0"] = null });
        var (org, _, _) = await app.NewMailboxAsync();
        var (status, problem) = await SendAsync(app, org, HttpMethod.Post, "/v1/webhooks", new { url });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.StartsWith("url points at ", detail, StringComparison.Ordinal);
        Assert.Contains(reason, detail, StringComparison.Ordinal);
        Assert.EndsWith("(allow it with Webhooks:AllowedNetworks).", detail, StringComparison.Ordinal);
        Assert.Empty(await app.Services.GetRequiredService<Mailroom.Core.Storage.IWebhookStore>().ListSubscriptionsAsync(org, Ct));
    }

    [Theory]
    [InlineData("http://localhost:8080/x", true)] // this app allows 127.0.0.1/32: where localhost leads is allowed
    [InlineData("http://hooks.localhost/x", true)]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", false)] // loopback allowed says nothing of it
    [InlineData("http://printer.local/x", false)]
    [InlineData("http://intranet/x", false)]
    public async Task Allowed_networks_allow_the_names_that_lead_into_them(string url, bool accepted)
    {
        var (org, _, _) = await _app.NewMailboxAsync();
        var (status, _) = await SendAsync(org, HttpMethod.Post, "/v1/webhooks", new { url });
        Assert.Equal(accepted ? HttpStatusCode.Created : HttpStatusCode.BadRequest, status);
    }

    [Theory]
    [InlineData("https://internal.example.com/x")]
    [InlineData("https://local.example.org/hooks")]
    [InlineData("https://hooks.example.com/localhost")]
    public async Task Public_names_that_only_look_internal_are_accepted(string url)
    {
        var (org, _, _) = await _app.NewMailboxAsync();
        var (status, _) = await SendAsync(org, HttpMethod.Post, "/v1/webhooks", new { url });
        Assert.Equal(HttpStatusCode.Created, status);
    }

    [Theory]
    [InlineData("ftp://hooks.example.com/x", null, null)]
    [InlineData("/relative", null, null)]
    [InlineData("https://user:pw@hooks.example.com/x", null, null)]
    [InlineData("http://10.1.2.3/x", null, null)]
    [InlineData("http://169.254.169.254/latest/meta-data", null, null)]
    [InlineData("http://[::1]:8080/x", null, null)]
    [InlineData("https://hooks.example.com/x", "message.nope", null)]
    [InlineData("https://hooks.example.com/x", null, "short")]
    public async Task Invalid_webhooks_are_refused_with_problem_details(string url, string? type, string? secret)
    {
        var (org, _, _) = await _app.NewMailboxAsync();
        var (status, problem) = await SendAsync(org, HttpMethod.Post, "/v1/webhooks",
            new { url, eventTypes = type is null ? null : new[] { type }, secret });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Empty(await _app.Services.GetRequiredService<Mailroom.Core.Storage.IWebhookStore>().ListSubscriptionsAsync(org, Ct));
    }

    [Fact]
    public async Task Deliveries_are_listed_shown_and_redelivered_only_within_the_organization()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (org, _, folder) = await _app.NewMailboxAsync();
        var (other, _, _) = await _app.NewMailboxAsync();
        var (_, created) = await SendAsync(org, HttpMethod.Post, "/v1/webhooks", new { url = receiver.Url("/hook").AbsoluteUri, eventTypes = MessageCreated });
        var id = created.GetProperty("id").GetInt64();
        await _app.IngestAsync(folder, 1, 3);
        var worker = _app.Services.GetRequiredService<WebhookWorker>();
        while ((await worker.PassAsync(Ct)) != (0, 0))
        {
        }

        var (status, page) = await SendAsync(org, HttpMethod.Get, $"/v1/webhooks/{id}/deliveries?limit=2");
        Assert.Equal(HttpStatusCode.OK, status);
        var deliveries = page.GetProperty("deliveries").EnumerateArray().ToList();
        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(("succeeded", 1, 204), (d.GetProperty("state").GetString(), d.GetProperty("attempts").GetInt32(), d.GetProperty("lastStatusCode").GetInt32())));
        Assert.True(deliveries[0].GetProperty("id").GetInt64() > deliveries[1].GetProperty("id").GetInt64());
        var (_, rest) = await SendAsync(org, HttpMethod.Get, $"/v1/webhooks/{id}/deliveries?cursor={page.GetProperty("nextCursor").GetString()}");
        Assert.Single(rest.GetProperty("deliveries").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);

        var deliveryId = deliveries[0].GetProperty("id").GetInt64();
        var (_, shown) = await SendAsync(org, HttpMethod.Get, $"/v1/webhooks/deliveries/{deliveryId}");
        var attempt = Assert.Single(shown.GetProperty("attemptLog").EnumerateArray());
        Assert.Equal((1, true, 204), (attempt.GetProperty("attempt").GetInt32(), attempt.GetProperty("succeeded").GetBoolean(), attempt.GetProperty("statusCode").GetInt32()));

        // Another organization: every id answers 404.
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(other, HttpMethod.Get, $"/v1/webhooks/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(other, HttpMethod.Get, $"/v1/webhooks/{id}/deliveries")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(other, HttpMethod.Get, $"/v1/webhooks/deliveries/{deliveryId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(other, HttpMethod.Post, $"/v1/webhooks/deliveries/{deliveryId}/redeliver")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(other, HttpMethod.Delete, $"/v1/webhooks/{id}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(org, HttpMethod.Get, $"/v1/webhooks/{id}/deliveries?cursor=x")).Status);

        // Redelivery: due at once, attempted again with the next attempt number.
        var before = receiver.Requests.Count;
        var (accepted, redelivery) = await SendAsync(org, HttpMethod.Post, $"/v1/webhooks/deliveries/{deliveryId}/redeliver");
        Assert.Equal(HttpStatusCode.Accepted, accepted);
        Assert.Equal("pending", redelivery.GetProperty("state").GetString());
        Assert.Equal((0, 1), await worker.PassAsync(Ct));
        Assert.Equal(before + 1, receiver.Requests.Count);
        Assert.Equal("2", receiver.Requests.Last().Headers[WebhookSender.AttemptHeader]);
        var (_, after) = await SendAsync(org, HttpMethod.Get, $"/v1/webhooks/deliveries/{deliveryId}");
        Assert.Equal(("succeeded", 2), (after.GetProperty("state").GetString(), after.GetProperty("attemptLog").GetArrayLength()));
    }
}
