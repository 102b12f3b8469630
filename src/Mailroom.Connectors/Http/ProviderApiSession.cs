using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Mailroom.Core.Connectors;
using Mailroom.Core.Sync;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors.Http;

/// <summary>
/// The request loop every provider REST client (Gmail API, Microsoft Graph) shares. Each request enters the mailbox's
/// limit (<see cref="EnterAsync"/>), has a deadline, and is retried when the provider asks for patience or the network
/// fails: after Retry-After (capped), else a capped exponential backoff with jitter, up to
/// <see cref="ProviderRequestPolicy.MaxRetries"/>. A 401 gets one fresh token (one refresh however many concurrent
/// requests saw that token refused); refused again, the grant is dead. A request that is not idempotent (a send) is
/// retried only when it was refused before any work (a rate limit): anything else may have gone out, so it goes back to
/// the outbox. What cannot be overcome is a <see cref="ConnectorException"/>.
/// </summary>
internal abstract class ProviderApiSession(
    HttpClient http,
    ProviderRequestPolicy policy,
    Func<string?, CancellationToken, Task<string>> accessToken,
    bool canRefresh,
    TimeProvider time,
    ILogger logger) : IAsyncDisposable
{
    private readonly Backoff _backoff = new(policy.RetryInitial, policy.RetryCap);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private string? _token;

    public SessionCounters Counters { get; } = new();

    /// <summary>The provider's name in messages and logs ("Gmail API", "Microsoft Graph").</summary>
    protected abstract string Service { get; }

    /// <summary>An answer that passes with time (throttling, the provider's own failure).</summary>
    protected abstract bool IsRetryable(HttpStatusCode status, byte[] body);

    /// <summary>An answer that refused the request before any work: safe to retry even when not idempotent.</summary>
    protected abstract bool IsRateLimit(HttpStatusCode status, byte[] body);

    /// <summary>The provider's error message, without anything from the request.</summary>
    protected abstract string Describe(byte[] body);

    /// <summary>Waits for the mailbox's limit (quota units, a concurrency slot) before each try.</summary>
    protected abstract Task EnterAsync(int units, CancellationToken cancellationToken);

    /// <summary>Gives back what <see cref="EnterAsync"/> took, once the answer is read (not across a backoff wait).</summary>
    protected abstract void Leave();

    public virtual ValueTask DisposeAsync()
    {
        _refresh.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Sends a request (built anew for each try) until it has an answer that is not a reason to retry.</summary>
    /// <param name="units">What the request costs against the mailbox's limit.</param>
    /// <param name="authorize">False for a pre-authenticated URL (an upload session's): no token goes with it.</param>
    /// <returns>The status, the whole body and its content type.</returns>
    protected async Task<(HttpStatusCode Status, byte[] Body, string? ContentType)> SendRequestAsync(
        Func<HttpRequestMessage> build, int units, string what, CancellationToken cancellationToken, bool idempotent = true, bool authorize = true)
    {
        var refreshed = false;
        for (var attempt = 0; ; attempt++)
        {
            // Requests run concurrently: each keeps the token it was sent with, so a 401 names the token refused.
            var token = authorize ? _token ?? await TokenAsync(null, cancellationToken) : "";
            TimeSpan? retryAfter = null;
            var refreshNow = false;
            string failure;
            await EnterAsync(units, cancellationToken);
            try
            {
                using var request = build();
                if (authorize)
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(policy.RequestTimeout);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
                var body = await response.Content.ReadAsByteArrayAsync(deadline.Token);
                Counters.AddRequest(body.Length);
                var status = response.StatusCode;
                if (status == HttpStatusCode.Unauthorized && authorize)
                {
                    if (refreshed || !canRefresh)
                    {
                        throw new ConnectorException(canRefresh ? ConnectorErrorKind.ReauthorizationRequired : ConnectorErrorKind.AuthenticationFailed,
                            $"{Service} refused {(refreshed ? "a freshly refreshed" : "the")} access token ({what}): {Describe(body)}");
                    }
                    refreshed = true;
                    attempt--;
                    failure = "";
                    refreshNow = true;
                }
                else if (!IsRetryable(status, body) || (!idempotent && !IsRateLimit(status, body)))
                {
                    return (status, body, response.Content.Headers.ContentType?.ToString());
                }
                else
                {
                    retryAfter = RetryAfter(response.Headers);
                    failure = $"{(int)status} {Describe(body)}";
                }
            }
            catch (HttpRequestException ex)
            {
                Counters.AddRequest(0);
                failure = ex.Message;
                if (!idempotent)
                    throw new ConnectorException(ConnectorErrorKind.Transient, $"{Service} {what}: {failure}", ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                Counters.AddRequest(0);
                failure = $"no answer within {policy.RequestTimeout}";
                if (!idempotent)
                    throw new ConnectorException(ConnectorErrorKind.Transient, $"{Service} {what}: {failure}", ex);
            }
            finally
            {
                Leave();
            }

            if (refreshNow)
            {
                Log.ProviderTokenRejected(logger, Service, what);
                await TokenAsync(token, cancellationToken);
                continue;
            }
            if (attempt >= policy.MaxRetries)
                throw new ConnectorException(ConnectorErrorKind.Transient, $"{Service} {what}: still failing after {attempt + 1} tries: {failure}");
            await WaitToRetryAsync(attempt, retryAfter, what, failure, cancellationToken); // outside the limit: a throttled mailbox waits without holding it
        }
    }

    /// <summary>Waits before the next try: as long as Retry-After asked, else the backoff's delay for this attempt.</summary>
    protected async Task WaitToRetryAsync(int attempt, TimeSpan? retryAfter, string what, string failure, CancellationToken cancellationToken)
    {
        var delay = retryAfter ?? _backoff.Delay(attempt, Random.Shared.NextDouble());
        Log.ProviderRetry(logger, Service, what, failure, delay.TotalSeconds);
        await Task.Delay(delay, time, cancellationToken);
    }

    /// <summary>A JSON answer as <typeparamref name="T"/>; one that is not is a transient failure.</summary>
    protected T Parse<T>(ReadOnlyMemory<byte> body, JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(body.Span, type) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new ConnectorException(ConnectorErrorKind.Transient, $"{Service} {what}: the answer is not the expected JSON ({ex.Message}).", ex);
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

    private TimeSpan? RetryAfter(HttpResponseHeaders headers)
    {
        if (headers.RetryAfter is not { } value)
            return null;
        var wait = value.Delta ?? (value.Date is { } at ? at - time.GetUtcNow() : null);
        return wait is { } w ? (w < TimeSpan.Zero ? TimeSpan.Zero : w > policy.RetryCap ? policy.RetryCap : w) : null;
    }
}
