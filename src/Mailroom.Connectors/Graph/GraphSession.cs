using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Mailroom.Core.Connectors;
using Mailroom.Core.Sync;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors.Graph;

/// <summary>
/// One mailbox's client of Microsoft Graph v1.0. Every request takes a slot of the mailbox's concurrency limit (Exchange
/// throttles a mailbox beyond 4 at once), has a deadline, asks for immutable ids, and is retried when Graph asks for
/// patience (429, 503, 504: after Retry-After, else a capped exponential backoff with jitter) or the network fails.
/// A 401 gets one fresh token; refused again, the grant is dead. What cannot be overcome is a <see cref="ConnectorException"/>.
/// </summary>
internal sealed partial class GraphSession(
    HttpClient http,
    GraphOptions options,
    SemaphoreSlim slots,
    string userPath,
    Func<string?, CancellationToken, Task<string>> accessToken,
    bool canRefresh,
    TimeProvider time,
    ILogger logger) : IGraphSession
{
    private readonly Backoff _backoff = new(options.RetryInitial, options.RetryCap);
    private readonly string _base = options.BaseUrl.TrimEnd('/') + "/";
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private string? _token;

    public SessionCounters Counters { get; } = new();

    public ValueTask DisposeAsync()
    {
        _refresh.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A URL under the mailbox (<c>me/…</c> or <c>users/{address}/…</c>).</summary>
    private Uri Url(string relative) => new(_base + userPath + "/" + relative);

    /// <summary>
    /// A link Graph gave (nextLink, deltaLink) as a URL to follow: only under the configured base URL, so that the token
    /// never goes to another host whatever a stored or served link says.
    /// </summary>
    private Uri Link(string link, string what)
    {
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || !uri.AbsoluteUri.StartsWith(_base, StringComparison.OrdinalIgnoreCase))
            throw new ConnectorException(ConnectorErrorKind.CommandFailed, $"Microsoft Graph {what}: the link is not under Graph:BaseUrl ({_base}).");
        return uri;
    }

    /// <summary>Sends a request (built anew for each try) until it has an answer that is not a reason to retry.</summary>
    private async Task<(HttpStatusCode Status, byte[] Body)> SendAsync(
        Func<HttpRequestMessage> build, string what, CancellationToken cancellationToken, bool idempotent = true)
    {
        var refreshed = false;
        for (var attempt = 0; ; attempt++)
        {
            var token = _token ?? await TokenAsync(null, cancellationToken);
            TimeSpan? retryAfter = null;
            var refreshNow = false;
            string failure;
            await slots.WaitAsync(cancellationToken);
            try
            {
                using var request = build();
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                // Immutable ids: a message keeps its id when it moves, so a move is a folder change, not a new message.
                request.Headers.TryAddWithoutValidation("Prefer", "IdType=\"ImmutableId\"");
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(options.RequestTimeout);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
                var body = await response.Content.ReadAsByteArrayAsync(deadline.Token);
                Counters.AddRequest(body.Length);
                var status = response.StatusCode;
                if (status == HttpStatusCode.Unauthorized)
                {
                    if (refreshed || !canRefresh)
                    {
                        throw new ConnectorException(canRefresh ? ConnectorErrorKind.ReauthorizationRequired : ConnectorErrorKind.AuthenticationFailed,
                            $"Microsoft Graph refused {(refreshed ? "a freshly refreshed" : "the")} access token ({what}): {GraphErrors.Describe(body)}");
                    }
                    refreshed = true;
                    attempt--;
                    failure = "";
                    refreshNow = true;
                }
                else if (!GraphErrors.IsRetryable(status) || (!idempotent && (int)status != 429))
                {
                    // A send that Graph failed (503, 504) may have gone out: only a throttled one (refused before any
                    // work) is retried here; the rest goes back to the outbox, which retries as for SMTP.
                    return (status, body);
                }
                else
                {
                    retryAfter = RetryAfter(response.Headers);
                    failure = $"{(int)status} {GraphErrors.Describe(body)}";
                }
            }
            catch (HttpRequestException ex)
            {
                Counters.AddRequest(0);
                failure = ex.Message;
                if (!idempotent)
                    throw new ConnectorException(ConnectorErrorKind.Transient, $"Microsoft Graph {what}: {failure}", ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                Counters.AddRequest(0);
                failure = $"no answer within {options.RequestTimeout}";
                if (!idempotent)
                    throw new ConnectorException(ConnectorErrorKind.Transient, $"Microsoft Graph {what}: {failure}", ex);
            }
            finally
            {
                slots.Release();
            }

            if (refreshNow)
            {
                Log.GraphTokenRejected(logger, what);
                await TokenAsync(token, cancellationToken);
                continue;
            }
            if (attempt >= options.MaxRetries)
                throw new ConnectorException(ConnectorErrorKind.Transient, $"Microsoft Graph {what}: still failing after {attempt + 1} tries: {failure}");
            var delay = retryAfter ?? _backoff.Delay(attempt, Random.Shared.NextDouble());
            Log.GraphRetry(logger, what, failure, delay.TotalSeconds);
            await Task.Delay(delay, time, cancellationToken); // outside the slot: a throttled mailbox waits without holding one
        }
    }

    /// <summary>The current token, or a fresh one in place of <paramref name="rejected"/> (once, however many requests saw it refused).</summary>
    private async Task<string> TokenAsync(string? rejected, CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_token is not null && !string.Equals(_token, rejected, StringComparison.Ordinal))
                return _token;
            return _token = await accessToken(rejected, cancellationToken);
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<T> GetJsonAsync<T>(Uri url, JsonTypeInfo<T> type, string what, CancellationToken cancellationToken)
    {
        var (status, body) = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), what, cancellationToken);
        GraphErrors.ThrowUnlessOk(status, body, what);
        return Parse(body, type, what);
    }

    private static T Parse<T>(byte[] body, JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new ConnectorException(ConnectorErrorKind.Transient, $"Microsoft Graph {what}: the answer is not the expected JSON ({ex.Message}).", ex);
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
