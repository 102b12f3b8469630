using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Mailroom.Core.Accounts;
using Mailroom.Core.Events;
using Mailroom.Core.Storage;
using Mailroom.Server.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;


namespace Mailroom.Server.Api.V1;

/// <summary>
/// Webhook subscriptions of the caller's organization, their delivery log and manual redelivery. Ids of another
/// organization answer 404, like ids that do not exist.
/// </summary>
internal static class WebhookEndpoints
{
    private const int MinSecretLength = 16;
    private const int MaxSecretLength = 200;
    private const int MaxUrlLength = 2000;
    private const int MaxDeliveryPage = 200;

    public static RouteGroupBuilder MapWebhooks(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/webhooks").WithTags("Webhooks");
        group.MapPost("", CreateAsync).WithName("CreateWebhook").WithSummary("Subscribe a URL to events; the signing secret is shown once.");
        group.MapGet("", ListAsync).WithName("ListWebhooks").WithSummary("The organization's webhook subscriptions.");
        group.MapGet("/{id:long}", GetAsync).WithName("GetWebhook").WithSummary("One webhook subscription.");
        group.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteWebhook").WithSummary("Remove a subscription and its delivery log.");
        group.MapGet("/{id:long}/deliveries", ListDeliveriesAsync).WithName("ListWebhookDeliveries").WithSummary("A subscription's deliveries, newest first.");
        group.MapGet("/deliveries/{id:long}", GetDeliveryAsync).WithName("GetWebhookDelivery").WithSummary("One delivery with every attempt.");
        group.MapPost("/deliveries/{id:long}/redeliver", RedeliverAsync).WithName("RedeliverWebhook").WithSummary("Make a delivery due again now.");
        return v1;
    }

    internal static async Task<Results<Created<WebhookView>, ProblemHttpResult>> CreateAsync(
        CreateWebhookRequest request, HttpContext http, IWebhookStore store, ISecretProtector secrets, WebhookEgressPolicy policy)
    {
        var organizationId = http.User.OrganizationId();
        if (CheckUrl(request.Url, policy, out var url) is { } badUrl)
            return Problems.BadRequest(badUrl);
        var types = (request.EventTypes ?? []).Select(t => t.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (types.FirstOrDefault(t => !EventTypes.IsValidFilter(t)) is { } badType)
            return Problems.BadRequest($"'{badType}' is not an event type. Known: {string.Join(", ", EventTypes.All)} (or a family such as 'message.*', or '*').");
        var secret = request.Secret ?? "whsec_" + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        if (secret.Length is < MinSecretLength or > MaxSecretLength || secret.Any(char.IsControl))
            return Problems.BadRequest($"secret must be {MinSecretLength} to {MaxSecretLength} printable characters.");

        var created = await store.AddSubscriptionAsync(
            organizationId, url!, secrets.Protect(SecretPurposes.WebhookSecret, secret), types, http.RequestAborted);
        return TypedResults.Created(string.Create(CultureInfo.InvariantCulture, $"/v1/webhooks/{created.Id}"), WebhookView.From(created, secret));
    }

    internal static async Task<Ok<WebhookList>> ListAsync(HttpContext http, IWebhookStore store) =>
        TypedResults.Ok(new WebhookList([.. (await store.ListSubscriptionsAsync(http.User.OrganizationId(), http.RequestAborted)).Select(s => WebhookView.From(s))]));

    internal static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> GetAsync(long id, HttpContext http, IWebhookStore store) =>
        await store.GetSubscriptionAsync(http.User.OrganizationId(), id, http.RequestAborted) is { } s
            ? TypedResults.Ok(WebhookView.From(s))
            : Problems.NotFound($"webhook {id}");

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, HttpContext http, IWebhookStore store) =>
        await store.RemoveSubscriptionAsync(http.User.OrganizationId(), id, http.RequestAborted)
            ? TypedResults.NoContent()
            : Problems.NotFound($"webhook {id}");

    internal static async Task<Results<Ok<DeliveryPage>, ProblemHttpResult>> ListDeliveriesAsync(
        long id, HttpContext http, IWebhookStore store, string? cursor = null, int? limit = null)
    {
        var organizationId = http.User.OrganizationId();
        long? before = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var b))
                return Problems.BadRequest("cursor must be a cursor this API returned.");
            before = b;
        }
        var size = limit ?? 50;
        if (size is < 1 or > MaxDeliveryPage)
            return Problems.BadRequest($"limit must be between 1 and {MaxDeliveryPage}.");
        if (await store.GetSubscriptionAsync(organizationId, id, http.RequestAborted) is null)
            return Problems.NotFound($"webhook {id}");

        var page = await store.ListDeliveriesAsync(organizationId, id, before, size, http.RequestAborted);
        var next = page.Count == size ? page[^1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new DeliveryPage([.. page.Select(d => DeliveryView.From(d, withAttempts: false))], next));
    }

    internal static async Task<Results<Ok<DeliveryView>, ProblemHttpResult>> GetDeliveryAsync(long id, HttpContext http, IWebhookStore store) =>
        await store.GetDeliveryAsync(http.User.OrganizationId(), id, http.RequestAborted) is { } d
            ? TypedResults.Ok(DeliveryView.From(d, withAttempts: true))
            : Problems.NotFound($"delivery {id}");

    internal static async Task<Results<Accepted<DeliveryView>, ProblemHttpResult>> RedeliverAsync(
        long id, HttpContext http, IWebhookStore store, TimeProvider time, Core.Events.EventSignal signal)
    {
        var organizationId = http.User.OrganizationId();
        if (!await store.RedeliverAsync(organizationId, id, time.GetUtcNow(), http.RequestAborted))
            return Problems.NotFound($"delivery {id}");
        signal.Notify();
        var delivery = (await store.GetDeliveryAsync(organizationId, id, http.RequestAborted))!;
        return TypedResults.Accepted(string.Create(CultureInfo.InvariantCulture, $"/v1/webhooks/deliveries/{id}"), DeliveryView.From(delivery, withAttempts: true));
    }

    /// <summary>Why <paramref name="text"/> cannot be a webhook URL, or null. Addresses written in the URL, and names that can only be internal, are checked now; other names when dialled.</summary>
    private static string? CheckUrl(string? text, WebhookEgressPolicy policy, out Uri? url)
    {
        url = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxUrlLength || !Uri.TryCreate(text, UriKind.Absolute, out var parsed))
            return $"url must be an absolute http or https URL of at most {MaxUrlLength} characters.";
        if (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            return "url must be http or https.";
        if (parsed.UserInfo.Length > 0)
            return "url must not carry credentials; put a token in the path or query, or verify the signature.";
        if (parsed.Fragment.Length > 0)
            return "url must not have a fragment.";
        if (IPAddress.TryParse(parsed.Host.Trim('[', ']'), out var address) && policy.Refuse(address, parsed.Port) is { } reason)
            return $"url points at {address}: {reason}.";
        // A name that can only be internal is refused like an internal address (the check when dialling stays the guard).
        if (address is null && policy.RefuseName(parsed.IdnHost) is { } internalName)
            return $"url points at {parsed.IdnHost}: {internalName}.";
        url = parsed;
        return null;
    }

}
