using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Mailroom.Core.Events;
using Mailroom.Server.Api.V1;
using Mailroom.Server.View;

namespace Mailroom.Server.Webhooks;

/// <summary>
/// Posts one delivery: the event as JSON, signed (<see cref="WebhookSignature"/>), with the event id, delivery id and
/// attempt in headers. Redirects are not followed (a 3xx is a failure), cookies and proxies are not used, every
/// address dialled passes <see cref="WebhookEgressPolicy"/>, and the whole attempt has <see cref="WebhookOptions.Timeout"/>.
/// </summary>
internal sealed class WebhookSender : IDisposable
{
    public const string EventIdHeader = "Mailroom-Event-Id";
    public const string EventTypeHeader = "Mailroom-Event-Type";
    public const string DeliveryIdHeader = "Mailroom-Delivery-Id";
    public const string AttemptHeader = "Mailroom-Attempt";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;

    public WebhookSender(WebhookOptions options, WebhookEgressPolicy policy, IHostResolver resolver, TimeProvider time)
    {
        _options = options;
        _time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            MaxConnectionsPerServer = options.Concurrency,
            ConnectCallback = (context, cancellationToken) => EgressConnector.ConnectAsync(policy, resolver, context, cancellationToken),
        };
        _http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>The body of an event's webhook: exactly the changes feed's JSON for it.</summary>
    public static byte[] Body(MailroomEvent e) => JsonSerializer.SerializeToUtf8Bytes(EventView.From(e), Json);

    /// <summary>One attempt. Never throws for the receiver's failures: they are the outcome (without the next attempt's time).</summary>
    public async Task<DeliveryOutcome> SendAsync(ClaimedDelivery claim, string secret, CancellationToken cancellationToken)
    {
        var body = Body(claim.Event);
        var started = _time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        int? status = null;
        string? error;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, claim.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Mailroom-Webhooks", "1.0"));
            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, started.ToUnixTimeSeconds(), body));
            request.Headers.Add(EventIdHeader, claim.Event.Id.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(EventTypeHeader, claim.Event.Type);
            request.Headers.Add(DeliveryIdHeader, claim.DeliveryId.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(AttemptHeader, claim.Attempt.ToString(CultureInfo.InvariantCulture));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            status = (int)response.StatusCode;
            error = status switch
            {
                >= 200 and < 300 => null,
                >= 300 and < 400 => $"the receiver answered {status} (redirects are not followed)",
                _ => $"the receiver answered {status}",
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = $"no answer within {_options.Timeout.TotalSeconds:0.#} s";
        }
        catch (HttpRequestException e) when (e.InnerException is EgressRefusedException refused)
        {
            error = "refused by the egress policy: " + refused.Message;
        }
        catch (HttpRequestException e)
        {
            error = "request failed: " + e.Message;
        }
        return new DeliveryOutcome(claim, started, clock.Elapsed, error is null, status, error, null);
    }

    public void Dispose() => _http.Dispose();
}
