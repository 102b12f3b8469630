using System.Net;
using System.Text;
using System.Text.Json;
using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.Graph;

/// <summary>Graph's error answers (the JSON <c>error</c> object with code and message) as Core's error kinds, decided here once.</summary>
internal static class GraphErrors
{
    /// <summary>Throttling (429) and a busy or unreachable service (503, 504) pass with time; Graph says so with Retry-After.</summary>
    public static bool IsRetryable(HttpStatusCode status) => (int)status is 429 or 503 or 504;

    /// <summary>
    /// A delta token Graph no longer knows: 410 Gone when its cache dropped it, or a 400 whose code names the sync
    /// state (a token that does not parse). Either way the folder is reconciled.
    /// </summary>
    public static bool IsExpiredDelta(HttpStatusCode status, byte[] body) =>
        status == HttpStatusCode.Gone
        || (status == HttpStatusCode.BadRequest && Code(body) is { } code && code.Contains("SyncState", StringComparison.OrdinalIgnoreCase));

    /// <summary>Anything but 2xx: 403 (missing permission or admin consent) needs a person; other 4xx fail the call.</summary>
    public static void ThrowUnlessOk(HttpStatusCode status, byte[] body, string what)
    {
        if ((int)status is >= 200 and < 300)
            return;
        var kind = status == HttpStatusCode.Forbidden ? ConnectorErrorKind.Misconfigured : ConnectorErrorKind.CommandFailed;
        throw new ConnectorException(kind, $"Microsoft Graph {what}: {(int)status} {Describe(body)}");
    }

    /// <summary>Graph's code and message, without anything from the request (no token ever reaches a message).</summary>
    public static string Describe(byte[] body)
    {
        if (Parse(body) is { } error)
            return $"{error.Code ?? "error"}: {error.Message}";
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200));
        return text.Length == 0 ? "(no body)" : text;
    }

    private static string? Code(byte[] body) => Parse(body)?.Code;

    private static GraphErrorBodyJson? Parse(byte[] body)
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize(body, GraphJson.Default.GraphErrorJson)?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
