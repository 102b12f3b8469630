using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.Graph;

internal sealed partial class GraphSession
{
    public string SubscriptionResource => Uri.UnescapeDataString(userPath) + "/messages";

    public async Task<IReadOnlyList<GraphSubscription>> ListSubscriptionsAsync(CancellationToken cancellationToken)
    {
        const string What = "subscriptions";
        var found = new List<GraphSubscription>();
        var url = new Uri(_base + "subscriptions");
        while (true)
        {
            var page = await GetJsonAsync(url, GraphJson.Default.GraphSubscriptionPageJson, What, cancellationToken);
            found.AddRange((page.Value ?? []).Select(ToRecord).OfType<GraphSubscription>());
            if (page.NextLink is null)
                return found;
            url = Link(page.NextLink, What);
        }
    }

    public async Task<GraphSubscription> CreateSubscriptionAsync(
        string notificationUrl, string clientState, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        const string What = "POST subscriptions";
        var json = JsonSerializer.SerializeToUtf8Bytes(new GraphSubscriptionJson(null, "created,updated,deleted", notificationUrl,
            notificationUrl, SubscriptionResource, expires, clientState), GraphJson.Default.GraphSubscriptionJson);
        // Not idempotent: a retry after an answer that never came could make a second subscription (removed as stale
        // by the next session); a throttled request is retried.
        var (status, body) = await SendAsync(() => JsonRequest(HttpMethod.Post, new Uri(_base + "subscriptions"), json), What, cancellationToken, idempotent: false);
        if (GraphErrors.IsRetryable(status))
            throw new ConnectorException(ConnectorErrorKind.Transient, $"Microsoft Graph {What}: {(int)status} {GraphErrors.Describe(body)}");
        GraphErrors.ThrowUnlessOk(status, body, What);
        return ToRecord(Parse(body, GraphJson.Default.GraphSubscriptionJson, What))
            ?? throw new ConnectorException(ConnectorErrorKind.Transient, $"Microsoft Graph {What}: the answer has no id or expiry.");
    }

    public async Task<DateTimeOffset?> RenewSubscriptionAsync(string subscriptionId, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        const string What = "PATCH subscriptions";
        var json = JsonSerializer.SerializeToUtf8Bytes(new GraphSubscriptionJson(null, null, null, null, null, expires, null), GraphJson.Default.GraphSubscriptionJson);
        var (status, body) = await SendAsync(() => JsonRequest(HttpMethod.Patch, SubscriptionUrl(subscriptionId), json), What, cancellationToken);
        if (status == HttpStatusCode.NotFound)
            return null;
        GraphErrors.ThrowUnlessOk(status, body, What);
        return Parse(body, GraphJson.Default.GraphSubscriptionJson, What).ExpirationDateTime ?? expires;
    }

    public async Task<bool> ReauthorizeSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        const string What = "subscriptions/reauthorize";
        var (status, body) = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(SubscriptionUrl(subscriptionId) + "/reauthorize")), What, cancellationToken);
        if (status == HttpStatusCode.NotFound)
            return false;
        GraphErrors.ThrowUnlessOk(status, body, What);
        return true;
    }

    public async Task DeleteSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        const string What = "DELETE subscriptions";
        var (status, body) = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, SubscriptionUrl(subscriptionId)), What, cancellationToken);
        if (status != HttpStatusCode.NotFound)
            GraphErrors.ThrowUnlessOk(status, body, What);
    }

    private Uri SubscriptionUrl(string id) => new(_base + "subscriptions/" + Uri.EscapeDataString(id));

    private static HttpRequestMessage JsonRequest(HttpMethod method, Uri url, byte[] json)
    {
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return new HttpRequestMessage(method, url) { Content = content };
    }

    private static GraphSubscription? ToRecord(GraphSubscriptionJson s) =>
        s is { Id: { } id, ExpirationDateTime: { } expires }
            ? new GraphSubscription(id, s.Resource ?? "", s.NotificationUrl ?? "", expires)
            : null;
}
