using System.Net;
using System.Text.Json.Serialization.Metadata;
using Mailroom.Connectors.Http;
using Mailroom.Core.Connectors;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors.Graph;

/// <summary>
/// One mailbox's client of Microsoft Graph v1.0. Every request takes a slot of the mailbox's concurrency limit (Exchange
/// throttles a mailbox beyond 4 at once) and asks for immutable ids; the rest (deadline, retries, one token refresh) is
/// <see cref="ProviderApiSession"/>'s. Graph asks for patience with 429, 503 and 504, and says how long with Retry-After.
/// </summary>
internal sealed partial class GraphSession(
    HttpClient http,
    GraphOptions options,
    SemaphoreSlim slots,
    string userPath,
    Func<string?, CancellationToken, Task<string>> accessToken,
    bool canRefresh,
    TimeProvider time,
    ILogger logger)
    : ProviderApiSession(http, new ProviderRequestPolicy(options.RequestTimeout, options.MaxRetries, options.RetryInitial, options.RetryCap),
        accessToken, canRefresh, time, logger), IGraphSession
{
    private readonly string _base = options.BaseUrl.TrimEnd('/') + "/";

    protected override string Service => "Microsoft Graph";

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

    public override ValueTask DisposeAsync()
    {
        _batches.Dispose();
        return base.DisposeAsync();
    }

    protected override bool IsRetryable(HttpStatusCode status, byte[] body) => GraphErrors.IsRetryable(status);

    protected override bool IsRateLimit(HttpStatusCode status, byte[] body) => (int)status == 429;

    protected override string Describe(byte[] body) => GraphErrors.Describe(body);

    protected override Task EnterAsync(int units, CancellationToken cancellationToken) => slots.WaitAsync(cancellationToken);

    protected override void Leave() => slots.Release();

    /// <summary>Sends a request (built anew for each try) until it has an answer that is not a reason to retry.</summary>
    private async Task<(HttpStatusCode Status, byte[] Body)> SendAsync(
        Func<HttpRequestMessage> build, string what, CancellationToken cancellationToken, bool idempotent = true)
    {
        var (status, body, _) = await SendRequestAsync(() =>
        {
            var request = build();
            // Immutable ids: a message keeps its id when it moves, so a move is a folder change, not a new message.
            request.Headers.TryAddWithoutValidation("Prefer", "IdType=\"ImmutableId\"");
            return request;
        }, 1, what, cancellationToken, idempotent);
        return (status, body);
    }

    private async Task<T> GetJsonAsync<T>(Uri url, JsonTypeInfo<T> type, string what, CancellationToken cancellationToken)
    {
        var (status, body) = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), what, cancellationToken);
        GraphErrors.ThrowUnlessOk(status, body, what);
        return Parse(body, type, what);
    }
}
