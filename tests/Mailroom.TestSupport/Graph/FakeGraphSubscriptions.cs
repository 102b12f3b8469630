using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Mailroom.TestSupport.Graph;

/// <summary>
/// Change-notification subscriptions of the fake Graph (<c>/v1.0/subscriptions</c>): POST validates the notification
/// and lifecycle URLs as Graph does (a POST with <c>validationToken</c>, answered 200 text/plain with the token within
/// 10 s, else 400), PATCH renews, POST …/reauthorize, DELETE, GET lists. Every change of the mailbox is then posted to
/// each subscription's URL with its clientState (one notification per change, as a changeNotificationCollection held to
/// the CSDL); tests post lifecycle events and forgeries, drop notifications, and read when each was answered.
/// </summary>
public sealed class FakeGraphSubscriptions : IDisposable
{
    private const int MaxMinutes = 10080;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ConcurrentDictionary<string, JsonObject> _subscriptions = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<(string MessageId, long SentTicks, long AnsweredTicks, int Status)> _deliveries = new();
    private readonly string _tenantId = Guid.NewGuid().ToString();
    private readonly string _userId = Guid.NewGuid().ToString();
    private int _created, _renewed, _reauthorized, _deleted;

    internal FakeGraphSubscriptions(FakeGraphMailbox mailbox) => mailbox.Changed += OnChanged;

    public void Dispose() => _http.Dispose();

    /// <summary>While true, changes are not notified (Graph lost them: only a <c>missed</c> event says so).</summary>
    public bool DropNotifications { get; set; }

    public int Created => Volatile.Read(ref _created);
    public int Renewed => Volatile.Read(ref _renewed);
    public int Reauthorized => Volatile.Read(ref _reauthorized);
    public int Deleted => Volatile.Read(ref _deleted);

    /// <summary>The live subscriptions (as Graph would answer them).</summary>
    public IReadOnlyList<JsonObject> Live => [.. _subscriptions.Values.Select(s => (JsonObject)s.DeepClone())];

    /// <summary>Every change notification posted: the message, when it was sent and answered (Stopwatch ticks), the status.</summary>
    public IReadOnlyList<(string MessageId, long SentTicks, long AnsweredTicks, int Status)> Deliveries => [.. _deliveries];

    internal async Task<(int Status, JsonObject Body)> HandleAsync(HttpContext context, string[] rest, Func<string, string> userOf)
    {
        var method = context.Request.Method;
        switch (rest)
        {
            case [] when HttpMethods.IsGet(method):
                return (200, new JsonObject { ["value"] = new JsonArray([.. Live.Select(s => (JsonNode)s)]) });
            case [] when HttpMethods.IsPost(method):
                return await CreateAsync(await ReadAsync(context), userOf, context.RequestAborted);
            case [var id] when HttpMethods.IsPatch(method):
                if (!_subscriptions.TryGetValue(id, out var s))
                    return NotFound();
                var body = await ReadAsync(context);
                if (!TryExpiry(body, out var expires, out var error))
                    return (400, FakeGraphApi.Error("ExtensionError", error));
                s["expirationDateTime"] = Iso(expires);
                Interlocked.Increment(ref _renewed);
                return (200, Checked(s));
            case [var id, "reauthorize"] when HttpMethods.IsPost(method):
                if (!_subscriptions.ContainsKey(id))
                    return NotFound();
                Interlocked.Increment(ref _reauthorized);
                return (204, []);
            case [var id] when HttpMethods.IsDelete(method):
                if (!_subscriptions.TryRemove(id, out _))
                    return NotFound();
                Interlocked.Increment(ref _deleted);
                return (204, []);
            default:
                return (400, FakeGraphApi.Error("BadRequest", $"Unsupported request {method} {context.Request.Path}"));
        }
    }

    /// <summary>Posts a lifecycle event to every subscription; <c>subscriptionRemoved</c> also removes them. Returns the answers' statuses.</summary>
    public async Task<IReadOnlyList<int>> SendLifecycleAsync(string lifecycleEvent)
    {
        var statuses = new List<int>();
        foreach (var s in Live)
        {
            if (lifecycleEvent == "subscriptionRemoved")
                _subscriptions.TryRemove(s["id"]!.GetValue<string>(), out _);
            var item = new JsonObject
            {
                ["lifecycleEvent"] = lifecycleEvent,
                ["subscriptionId"] = s["id"]!.GetValue<string>(),
                ["subscriptionExpirationDateTime"] = s["expirationDateTime"]!.GetValue<string>(),
                ["tenantId"] = _tenantId,
                ["clientState"] = s["clientState"]?.GetValue<string>(),
                ["resource"] = s["resource"]!.GetValue<string>(),
            };
            statuses.Add(await PostAsync((s["lifecycleNotificationUrl"] ?? s["notificationUrl"])!.GetValue<string>(), item));
        }
        return statuses;
    }

    /// <summary>A change notification naming each live subscription but with a clientState Graph never had.</summary>
    public async Task<IReadOnlyList<int>> SendForgedAsync(string messageId)
    {
        var statuses = new List<int>();
        foreach (var s in Live)
            statuses.Add(await PostAsync(s["notificationUrl"]!.GetValue<string>(), Notification(s, "created", messageId, "forged-" + Guid.NewGuid())));
        return statuses;
    }

    private async Task<(int, JsonObject)> CreateAsync(JsonObject body, Func<string, string> userOf, CancellationToken ct)
    {
        var notificationUrl = body["notificationUrl"]?.GetValue<string>();
        var resource = body["resource"]?.GetValue<string>()?.Trim('/');
        if (notificationUrl is null || !Uri.TryCreate(notificationUrl, UriKind.Absolute, out _) || resource is null || body["changeType"] is null)
            return (400, FakeGraphApi.Error("InvalidRequest", "notificationUrl, resource and changeType are required."));
        if (!TryExpiry(body, out var expires, out var error))
            return (400, FakeGraphApi.Error("ExtensionError", error));
        var parts = resource.Split('/');
        if (!(parts is ["me", "messages"] || (parts is ["users", var u, "messages"] && userOf(u) is { Length: > 0 })))
            return (400, FakeGraphApi.Error("ExtensionError", $"Resource '{resource}' is not supported by this fake."));
        if (body["clientState"]?.GetValue<string>() is { Length: > 128 })
            return (400, FakeGraphApi.Error("InvalidRequest", "clientState is longer than 128 characters."));
        // Graph validates both URLs before it answers: each must echo the token, as text/plain, within 10 s.
        foreach (var url in new[] { notificationUrl, body["lifecycleNotificationUrl"]?.GetValue<string>() }.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (!await ValidateAsync(url, ct))
                return (400, FakeGraphApi.Error("InvalidRequest", "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request."));
        }
        var subscription = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["resource"] = resource,
            ["applicationId"] = Guid.NewGuid().ToString(),
            ["changeType"] = body["changeType"]!.GetValue<string>(),
            ["clientState"] = body["clientState"]?.GetValue<string>(),
            ["notificationUrl"] = notificationUrl,
            ["lifecycleNotificationUrl"] = body["lifecycleNotificationUrl"]?.GetValue<string>(),
            ["expirationDateTime"] = Iso(expires),
            ["creatorId"] = _userId,
            ["latestSupportedTlsVersion"] = "v1_2",
        };
        _subscriptions[subscription["id"]!.GetValue<string>()] = Checked(subscription);
        Interlocked.Increment(ref _created);
        return (201, (JsonObject)subscription.DeepClone());
    }

    private async Task<bool> ValidateAsync(string url, CancellationToken ct)
    {
        // Real tokens hold spaces and colons: the endpoint must decode the query and echo it exactly.
        var token = $"Validation: Testing client application reachability for subscription Request-Id: {Guid.NewGuid()}";
        try
        {
            using var content = new StringContent("", Encoding.UTF8, "text/plain");
            using var response = await _http.PostAsync($"{url}{(url.Contains('?', StringComparison.Ordinal) ? '&' : '?')}validationToken={Uri.EscapeDataString(token)}", content, ct);
            return (int)response.StatusCode == 200
                && response.Content.Headers.ContentType?.MediaType == "text/plain"
                && await response.Content.ReadAsStringAsync(ct) == token;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private void OnChanged(string messageId, string changeType)
    {
        if (DropNotifications)
            return;
        foreach (var s in Live)
        {
            var url = s["notificationUrl"]!.GetValue<string>();
            var item = Notification(s, changeType, messageId, s["clientState"]?.GetValue<string>());
            _ = Task.Run(async () =>
            {
                var sent = Stopwatch.GetTimestamp();
                var status = await PostAsync(url, item);
                _deliveries.Enqueue((messageId, sent, Stopwatch.GetTimestamp(), status));
            });
        }
    }

    private JsonObject Notification(JsonObject s, string changeType, string messageId, string? clientState) => new()
    {
        ["subscriptionId"] = s["id"]!.GetValue<string>(),
        ["subscriptionExpirationDateTime"] = s["expirationDateTime"]!.GetValue<string>(),
        ["changeType"] = changeType,
        ["resource"] = $"Users/{_userId}/Messages/{messageId}",
        ["resourceData"] = new JsonObject
        {
            ["@odata.type"] = "#Microsoft.Graph.Message",
            ["@odata.id"] = $"Users/{_userId}/Messages/{messageId}",
            ["@odata.etag"] = "W/\"CQAAABYAAAA\"",
            ["id"] = messageId,
        },
        ["clientState"] = clientState,
        ["tenantId"] = _tenantId,
    };

    private async Task<int> PostAsync(string url, JsonObject item)
    {
        var collection = new JsonObject { ["value"] = new JsonArray(item) };
        if (GraphCsdl.Available && GraphCsdl.Check("changeNotificationCollection", collection) is { Count: > 0 } errors)
            throw new InvalidOperationException($"The fake's notification does not conform to the Graph v1.0 CSDL: {string.Join("; ", errors)}");
        try
        {
            using var content = new StringContent(collection.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(url, content);
            return (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 0; // Graph would retry for a while, then drop it (and send "missed")
        }
    }

    private static bool TryExpiry(JsonObject body, out DateTimeOffset expires, out string error)
    {
        error = "";
        if (body["expirationDateTime"]?.GetValue<string>() is not { } text
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out expires))
        {
            expires = default;
            error = "expirationDateTime is required.";
            return false;
        }
        var now = DateTimeOffset.UtcNow;
        if (expires <= now || expires > now.AddMinutes(MaxMinutes))
        {
            error = $"Subscription expiration can only be {MaxMinutes} minutes in the future.";
            return false;
        }
        return true;
    }

    private static async Task<JsonObject> ReadAsync(HttpContext context) =>
        JsonNode.Parse(await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted)) as JsonObject ?? [];

    private static (int, JsonObject) NotFound() =>
        (404, FakeGraphApi.Error("ResourceNotFound", "The object was not found."));

    private static JsonObject Checked(JsonObject subscription)
    {
        if (GraphCsdl.Available && GraphCsdl.Check("subscription", subscription) is { Count: > 0 } errors)
            throw new InvalidOperationException($"The fake's subscription does not conform to the Graph v1.0 CSDL: {string.Join("; ", errors)}");
        return subscription;
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
}
