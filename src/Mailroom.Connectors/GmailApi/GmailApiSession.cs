using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mailroom.Core.Connectors;
using Mailroom.Core.Sync;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors.GmailApi;

/// <summary>
/// One mailbox's client of the Gmail REST API (users/me). Every request waits for its quota units, has a deadline,
/// and is retried when Google asks for patience (429, 403 rateLimitExceeded or userRateLimitExceeded: after Retry-After,
/// else a capped exponential backoff with jitter) or fails on its side (5xx, time-outs, broken connections). A 401 gets
/// one fresh token; refused again, the grant is dead. What cannot be overcome is a <see cref="ConnectorException"/>.
/// </summary>
internal sealed partial class GmailApiSession(
    HttpClient http,
    GmailOptions options,
    QuotaBudget budget,
    Func<string?, CancellationToken, Task<string>> accessToken,
    bool canRefresh,
    TimeProvider time,
    ILogger logger) : IGmailApiSession
{
    private readonly Backoff _backoff = new(options.RetryInitial, options.RetryCap);
    private readonly Uri _base = new(options.ApiBaseUrl.TrimEnd('/') + "/");
    private string? _token;

    public SessionCounters Counters { get; } = new();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Uri Url(string relative) => new(_base, relative);

    /// <summary>Sends a request (built anew for each try) until it has an answer that is not a reason to retry.</summary>
    /// <returns>The status and the whole body.</returns>
    private async Task<(HttpStatusCode Status, byte[] Body, HttpResponseHeaders? Headers, string? ContentType)> SendAsync(
        Func<HttpRequestMessage> build, int units, string what, CancellationToken cancellationToken, bool idempotent = true)
    {
        var refreshed = false;
        for (var attempt = 0; ; attempt++)
        {
            await budget.TakeAsync(units, cancellationToken);
            // Batches run concurrently: each request keeps the token it was sent with, so a 401 names the token refused.
            var token = _token ??= await accessToken(null, cancellationToken);
            using var request = build();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.RequestTimeout);
            TimeSpan? retryAfter = null;
            string failure;
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
                var body = await response.Content.ReadAsByteArrayAsync(deadline.Token);
                Counters.AddRequest(body.Length);
                var status = response.StatusCode;
                if (status == HttpStatusCode.Unauthorized)
                {
                    if (refreshed || !canRefresh)
                    {
                        throw new ConnectorException(canRefresh ? ConnectorErrorKind.ReauthorizationRequired : ConnectorErrorKind.AuthenticationFailed,
                            $"Gmail API refused {(refreshed ? "a freshly refreshed" : "the")} access token ({what}): {GmailApiErrors.Describe(body)}");
                    }
                    Log.GmailTokenRejected(logger, what);
                    _token = await accessToken(token, cancellationToken);
                    refreshed = true;
                    attempt--;
                    continue;
                }
                // A send that failed on Google's side may have gone out: only a rate limit (refused before any work)
                // is retried here; the rest goes back to the outbox, which retries as for SMTP.
                if (!GmailApiErrors.IsRetryable(status, body) || (!idempotent && !GmailApiErrors.IsRateLimit(status, body)))
                    return (status, body, response.Headers, response.Content.Headers.ContentType?.ToString());
                retryAfter = RetryAfter(response.Headers);
                failure = $"{(int)status} {GmailApiErrors.Describe(body)}";
            }
            catch (HttpRequestException ex)
            {
                Counters.AddRequest(0);
                failure = ex.Message;
                if (!idempotent)
                    throw new ConnectorException(ConnectorErrorKind.Transient, $"Gmail API {what}: {failure}", ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                Counters.AddRequest(0);
                failure = $"no answer within {options.RequestTimeout}";
                if (!idempotent)
                    throw new ConnectorException(ConnectorErrorKind.Transient, $"Gmail API {what}: {failure}", ex);
            }

            if (attempt >= options.MaxRetries)
                throw new ConnectorException(ConnectorErrorKind.Transient, $"Gmail API {what}: still failing after {attempt + 1} tries: {failure}");
            var delay = retryAfter ?? _backoff.Delay(attempt, Random.Shared.NextDouble());
            Log.GmailRetry(logger, what, failure, delay.TotalSeconds);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    private async Task<T> GetJsonAsync<T>(string relative, int units, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what, CancellationToken cancellationToken)
    {
        var (status, body, _, _) = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Url(relative)), units, what, cancellationToken);
        GmailApiErrors.ThrowUnlessOk(status, body, what);
        return Parse(body, type, what);
    }

    private static T Parse<T>(ReadOnlyMemory<byte> body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(body.Span, type) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new ConnectorException(ConnectorErrorKind.Transient, $"Gmail API {what}: the answer is not the expected JSON ({ex.Message}).", ex);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseHeaders headers)
    {
        if (headers.RetryAfter is not { } value)
            return null;
        var wait = value.Delta ?? (value.Date is { } at ? at - time.GetUtcNow() : null);
        return wait is { } w ? (w < TimeSpan.Zero ? TimeSpan.Zero : w > options.RetryCap ? options.RetryCap : w) : null;
    }
}
