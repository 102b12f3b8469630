using System.Text.Json;
using Mailroom.Core.Sync.Graph;

namespace Mailroom.Server.Api;

/// <summary>
/// Where Microsoft Graph posts change and lifecycle notifications (<c>POST /graph/notifications</c>, mapped only when
/// Graph:NotificationUrl is set). Graph signs nothing, so the endpoint is anonymous and trusts nothing: a notification
/// only wakes the worker of the subscription it names, and only with that subscription's clientState
/// (<see cref="GraphNotifications"/>); the worker then reads its delta. The validation handshake (a
/// <c>validationToken</c> query, answered within 10 s) is echoed as text/plain. Every notification is answered 202
/// at once, so Graph neither retries nor slows the endpoint down.
/// </summary>
internal static class GraphNotificationsApi
{
    public const string Path = "/graph/notifications";
    private const int MaxBody = 1024 * 1024;

    public static void Map(WebApplication app) => app.MapPost(Path, ReceiveAsync).ExcludeFromDescription();

    private static async Task<IResult> ReceiveAsync(HttpContext http, GraphNotifications notifications, ILogger<GraphNotifications> logger, CancellationToken cancellationToken)
    {
        if (http.Request.Query.TryGetValue("validationToken", out var token))
        {
            // The handshake: the token as plain text (decoded from the query), never interpreted as HTML.
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Text(token.ToString(), "text/plain", System.Text.Encoding.UTF8);
        }
        if (http.Request.ContentLength > MaxBody)
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

        JsonDocument document;
        try
        {
            using var limited = new MemoryStream();
            await http.Request.Body.CopyToAsync(limited, cancellationToken);
            if (limited.Length > MaxBody)
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            document = JsonDocument.Parse(limited.ToArray());
        }
        catch (JsonException)
        {
            return Results.BadRequest();
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
                return Results.BadRequest();
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                    continue;
                var subscription = Text(item, "subscriptionId");
                var lifecycle = Text(item, "lifecycleEvent");
                var outcome = notifications.Accept(subscription, Text(item, "clientState"), lifecycle);
                if (outcome == GraphNotificationOutcome.Accepted)
                    Log.GraphNotification(logger, subscription!, lifecycle ?? Text(item, "changeType") ?? "");
                else
                    Log.GraphNotificationIgnored(logger, subscription ?? "(none)", outcome == GraphNotificationOutcome.WrongClientState ? "wrong clientState" : "unknown subscription");
            }
        }
        return Results.Accepted();
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
