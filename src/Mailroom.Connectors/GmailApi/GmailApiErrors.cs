using System.Net;
using System.Text;
using System.Text.Json;
using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.GmailApi;

/// <summary>Google's error answers (the JSON <c>error</c> object) as Core's error kinds, decided here once.</summary>
internal static class GmailApiErrors
{
    /// <summary>Rate limits (429, and 403 rateLimitExceeded/userRateLimitExceeded) and Google's own failures (5xx) pass with time.</summary>
    public static bool IsRetryable(HttpStatusCode status, ReadOnlyMemory<byte> body) => (int)status switch
    {
        429 => true,
        >= 500 => true,
        403 => Reasons(body).Any(r => r is "rateLimitExceeded" or "userRateLimitExceeded"),
        _ => false,
    };

    /// <summary>429, or 403 rateLimitExceeded/userRateLimitExceeded: refused before any work was done.</summary>
    public static bool IsRateLimit(HttpStatusCode status, ReadOnlyMemory<byte> body) =>
        (int)status == 429 || ((int)status == 403 && Reasons(body).Any(r => r is "rateLimitExceeded" or "userRateLimitExceeded"));

    /// <summary>Anything but 2xx: 403 (scopes, API disabled) and 400s that no retry mends need a person; other 4xx fail the call.</summary>
    public static void ThrowUnlessOk(HttpStatusCode status, ReadOnlyMemory<byte> body, string what)
    {
        if ((int)status is >= 200 and < 300)
            return;
        var kind = status == HttpStatusCode.Forbidden ? ConnectorErrorKind.Misconfigured : ConnectorErrorKind.CommandFailed;
        throw new ConnectorException(kind, $"Gmail API {what}: {(int)status} {Describe(body)}");
    }

    /// <summary>Google's message and reasons, without anything from the request (no token ever reaches a message).</summary>
    public static string Describe(ReadOnlyMemory<byte> body)
    {
        try
        {
            var error = JsonSerializer.Deserialize(body.Span, GmailJson.Default.GmailErrorJson)?.Error;
            if (error is not null)
            {
                var reasons = error.Errors is { Count: > 0 } e ? " (" + string.Join(", ", e.Select(x => x.Reason)) + ")" : "";
                return (error.Message ?? error.Status ?? "error") + reasons;
            }
        }
        catch (JsonException)
        {
        }
        var text = Encoding.UTF8.GetString(body.Span[..Math.Min(body.Length, 200)]);
        return text.Length == 0 ? "(no body)" : text;
    }

    private static IEnumerable<string?> Reasons(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize(body.Span, GmailJson.Default.GmailErrorJson)?.Error?.Errors?.Select(e => e.Reason) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
