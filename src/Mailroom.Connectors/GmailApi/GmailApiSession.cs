using System.Net;
using System.Text.Json.Serialization.Metadata;
using Mailroom.Connectors.Http;
using Mailroom.Core.Connectors;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors.GmailApi;

/// <summary>
/// One mailbox's client of the Gmail REST API (users/me). Every request waits for its quota units (the mailbox's
/// <see cref="QuotaBudget"/>); the rest (deadline, retries, one token refresh) is <see cref="ProviderApiSession"/>'s.
/// Google asks for patience with 429 or 403 rateLimitExceeded/userRateLimitExceeded, and fails on its side with 5xx.
/// </summary>
internal sealed partial class GmailApiSession(
    HttpClient http,
    GmailOptions options,
    QuotaBudget budget,
    Func<string?, CancellationToken, Task<string>> accessToken,
    bool canRefresh,
    TimeProvider time,
    ILogger logger)
    : ProviderApiSession(http, new ProviderRequestPolicy(options.RequestTimeout, options.MaxRetries, options.RetryInitial, options.RetryCap),
        accessToken, canRefresh, time, logger), IGmailApiSession
{
    private readonly Uri _base = new(options.ApiBaseUrl.TrimEnd('/') + "/");

    protected override string Service => "Gmail API";

    private Uri Url(string relative) => new(_base, relative);

    protected override bool IsRetryable(HttpStatusCode status, byte[] body) => GmailApiErrors.IsRetryable(status, body);

    protected override bool IsRateLimit(HttpStatusCode status, byte[] body) => GmailApiErrors.IsRateLimit(status, body);

    protected override string Describe(byte[] body) => GmailApiErrors.Describe(body);

    protected override Task EnterAsync(int units, CancellationToken cancellationToken) => budget.TakeAsync(units, cancellationToken);

    protected override void Leave()
    {
        // Quota units are spent, not held.
    }

    private async Task<T> GetJsonAsync<T>(string relative, int units, JsonTypeInfo<T> type, string what, CancellationToken cancellationToken)
    {
        var (status, body, _) = await SendRequestAsync(() => new HttpRequestMessage(HttpMethod.Get, Url(relative)), units, what, cancellationToken);
        GmailApiErrors.ThrowUnlessOk(status, body, what);
        return Parse(body, type, what);
    }
}
