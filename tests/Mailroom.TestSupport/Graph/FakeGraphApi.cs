using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Mailroom.TestSupport.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mailroom.TestSupport.Graph;

/// <summary>
/// A fake of Microsoft Graph v1.0 mail on 127.0.0.1 over a <see cref="FakeGraphMailbox"/> (at <c>/v1.0/me</c> and
/// <c>/v1.0/users/{address}</c>): mailFolders/delta, mailFolders/{id or well-known name}, per-folder messages/delta with
/// nextLink paging (Prefer: odata.maxpagesize) and a deltaLink, @removed, 410 for expired tokens, messages/{id}/$value and
/// sendMail. It insists on Prefer: IdType="ImmutableId", refuses a $select naming no property of the CSDL, and checks
/// every JSON object it serves against the CSDL (a drift answers 500). Tests can throttle the next requests (429 with
/// Retry-After), slow every request, and read the requests and the most in flight at once.
/// </summary>
public sealed partial class FakeGraphApi : IAsyncDisposable
{
    private const int DefaultPageSize = 10;
    private readonly LocalWebApp _app;
    private readonly Func<string, CancellationToken, Task<bool>> _validate;
    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, bool Application)> _valid = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(int Status, int RetryAfterSeconds)> _failures = new();
    private readonly ConcurrentQueue<(int Status, int RetryAfterSeconds)> _batchFailures = new();
    private long _requests, _mimeServed;
    private int _inFlight, _maxInFlight;

    private FakeGraphApi(LocalWebApp app, FakeGraphMailbox mailbox, string address, Func<string, CancellationToken, Task<bool>> validate)
    {
        _app = app;
        Mailbox = mailbox;
        UserAddress = address;
        _validate = validate;
        Subscriptions = new FakeGraphSubscriptions(mailbox);
        Drafts = new FakeGraphDrafts(mailbox, () => BaseUrl);
    }

    /// <summary>Drafts, attachments and upload sessions: the route of messages over 4 MB.</summary>
    public FakeGraphDrafts Drafts { get; }

    /// <summary>Change-notification subscriptions, and the notifications they post.</summary>
    public FakeGraphSubscriptions Subscriptions { get; }

    public FakeGraphMailbox Mailbox { get; }

    /// <summary>The mailbox's address, which <c>/users/{address}</c> accepts.</summary>
    public string UserAddress { get; }

    /// <summary>The value for Graph:BaseUrl.</summary>
    public Uri BaseUrl => new(_app.Address, "/v1.0");

    public TimeSpan Delay { get; set; }

    public long Requests => Interlocked.Read(ref _requests);

    public long MimeServed => Interlocked.Read(ref _mimeServed);

    /// <summary>The most requests that were in flight at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>The next requests are answered with <paramref name="status"/> (429, 503) and Retry-After.</summary>
    public void FailNext(int count, int status = 429, int retryAfterSeconds = 1)
    {
        for (var i = 0; i < count; i++)
            _failures.Enqueue((status, retryAfterSeconds));
    }

    /// <summary>The next requests inside a $batch are answered so (the batch itself is 200).</summary>
    public void FailNextInBatch(int count, int status = 429, int retryAfterSeconds = 1)
    {
        for (var i = 0; i < count; i++)
            _batchFailures.Enqueue((status, retryAfterSeconds));
    }

    public void ForgetTokens() => _valid.Clear();

    /// <summary>
    /// Checks application tokens (client credentials: no user) when set. Such a token reaches <c>/users/{address}</c>
    /// only; <c>/me</c> answers 400, as Graph does.
    /// </summary>
    public Func<string, CancellationToken, Task<bool>>? ValidateApplication { get; set; }

    /// <summary>Requests made with an application token.</summary>
    public long ApplicationRequests => Interlocked.Read(ref _applicationRequests);

    private long _applicationRequests;

    /// <summary>Starts the fake; tokens are checked at <paramref name="issuer"/>'s userinfo endpoint (oidc-provider's <c>/me</c>).</summary>
    public static Task<FakeGraphApi> StartAsync(FakeGraphMailbox mailbox, string address, Uri issuer, CancellationToken cancellationToken)
    {
        var http = new HttpClient();
        return StartAsync(mailbox, address, async (token, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(issuer, "/me"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, ct);
            return response.IsSuccessStatusCode;
        }, cancellationToken).ContinueWith(started =>
        {
            // Application tokens have no user: the provider's introspection says whether one is live and whose it is.
            var fake = started.Result;
            var secret = Environment.GetEnvironmentVariable("MAILROOM_TEST_OIDC_CLIENT_SECRET") ?? "mailroom-test-client-secret";
            fake.ValidateApplication = async (token, ct) =>
            {
                using var content = new FormUrlEncodedContent([new("token", token), new("client_id", "mailroom"), new("client_secret", secret)]);
                using var response = await http.PostAsync(new Uri(issuer, "/token/introspection"), content, ct);
                var json = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(ct));
                return json?["active"]?.GetValue<bool>() == true && json["sub"] is null;
            };
            return fake;
        }, cancellationToken, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    public static async Task<FakeGraphApi> StartAsync(
        FakeGraphMailbox mailbox, string address, Func<string, CancellationToken, Task<bool>> validate, CancellationToken cancellationToken)
    {
        var app = LocalWebApp.CreateBuilder().Build();
        FakeGraphApi? fake = null;
        app.Map("/{**path}", async (HttpContext context) =>
        {
            var now = Interlocked.Increment(ref fake!._inFlight);
            InterlockedMax(ref fake._maxInFlight, now);
            try
            {
                await fake.HandleAsync(context);
            }
            catch (Exception ex) when (!context.Response.HasStarted)
            {
                // A fault of the fake itself (a CSDL drift among them): say so, so that a test failure shows it.
                await WriteAsync(context.Response, 500, Error("fakeFailure", ex.ToString()));
            }
            finally
            {
                Interlocked.Decrement(ref fake._inFlight);
            }
        });
        fake = new FakeGraphApi(await LocalWebApp.StartAsync(app, cancellationToken), mailbox, address, validate);
        return fake;
    }

    /// <summary>Requests that came inside a $batch (each batch is one of <see cref="Requests"/>).</summary>
    public long BatchedRequests => Interlocked.Read(ref _batched);

    private long _batched;

    private async Task HandleAsync(HttpContext context, bool inBatch = false)
    {
        Interlocked.Increment(ref inBatch ? ref _batched : ref _requests);
        var ct = context.RequestAborted;
        if (Delay > TimeSpan.Zero)
            await Task.Delay(Delay, ct);
        if ((context.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries) is ["upload", var session] && HttpMethods.IsPut(context.Request.Method))
        {
            // An upload URL is pre-authenticated (as outlook.office.com's are): no token, no Prefer.
            var (uploadStatus, uploadBody) = await Drafts.PutChunkAsync(context, session);
            if (uploadBody.Count > 0 || uploadStatus != 201)
                await WriteAsync(context.Response, uploadStatus, uploadBody);
            else
                context.Response.StatusCode = 201;
            return;
        }
        var auth = context.Request.Headers.Authorization.ToString();
        var kind = auth.StartsWith("Bearer ", StringComparison.Ordinal) ? await TokenKindAsync(auth[7..], ct) : null;
        if (kind is null)
        {
            await WriteAsync(context.Response, 401, Error("InvalidAuthenticationToken", "Access token validation failure."));
            return;
        }
        if ((inBatch ? _batchFailures : _failures).TryDequeue(out var failure))
        {
            context.Response.Headers.RetryAfter = failure.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await WriteAsync(context.Response, failure.Status, failure.Status == 429
                ? Error("ApplicationThrottled", "Application is over its MailboxConcurrency limit.")
                : Error("ServiceUnavailable", "The service is temporarily unavailable."));
            return;
        }
        if (!context.Request.Headers["Prefer"].Any(p => p is not null && p.Contains("IdType=\"ImmutableId\"", StringComparison.Ordinal)))
        {
            await WriteAsync(context.Response, 400, Error("BadRequest", "This fake serves immutable ids only: send Prefer: IdType=\"ImmutableId\"."));
            return;
        }

        var segments = (context.Request.Path.Value ?? "").Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        if (segments is ["v1.0", "$batch"] && HttpMethods.IsPost(context.Request.Method) && !inBatch)
        {
            var (batchStatus, batchBody) = await FakeGraphBatch.RunAsync(context, inner => HandleAsync(inner, inBatch: true));
            await WriteAsync(context.Response, batchStatus, batchBody);
            return;
        }
        if (segments is ["v1.0", "subscriptions", .. var subscription])
        {
            var (code, answer) = await Subscriptions.HandleAsync(context, subscription,
                user => string.Equals(user, UserAddress, StringComparison.OrdinalIgnoreCase) ? user : "");
            if (code == 204)
                context.Response.StatusCode = 204;
            else
                await WriteAsync(context.Response, code, answer);
            return;
        }
        string[] rest;
        if (kind == true)
        {
            Interlocked.Increment(ref _applicationRequests);
            if (segments is ["v1.0", "me", ..])
            {
                await WriteAsync(context.Response, 400, Error("BadRequest", "/me request is only valid with delegated authentication flow."));
                return;
            }
        }
        if (segments is ["v1.0", "me", .. var afterMe])
            rest = afterMe;
        else if (segments is ["v1.0", "users", var user, .. var afterUser] && string.Equals(user, UserAddress, StringComparison.OrdinalIgnoreCase))
            rest = afterUser;
        else
        {
            await WriteAsync(context.Response, 404, Error("ErrorInvalidUser", "The requested user is invalid."));
            return;
        }

        var select = context.Request.Query["$select"].ToString();
        if (select.Length > 0 && rest is [.., "delta"] && GraphCsdl.Available)
        {
            var unknown = GraphCsdl.UnknownProperties(rest is ["mailFolders", "delta"] ? "mailFolder" : "message", select.Split(','));
            if (unknown.Count > 0)
            {
                await WriteAsync(context.Response, 400, Error("RequestBroker--ParseUri", $"Could not find a property named '{unknown[0]}'."));
                return;
            }
        }

        var method = context.Request.Method;
        if (await Drafts.HandleAsync(context, rest) is var (draftStatus, draftBody))
        {
            if (draftStatus is 202 or 204)
                context.Response.StatusCode = draftStatus;
            else
                await WriteAsync(context.Response, draftStatus, draftBody);
            return;
        }
        switch (rest)
        {
            case ["mailFolders", "delta"] when HttpMethods.IsGet(method):
                await WriteAsync(context.Response, 200, FolderDelta(context));
                return;
            case ["mailFolders", var folder] when HttpMethods.IsGet(method):
                await WriteAsync(context.Response, Mailbox.TryFolder(folder, out var f) ? 200 : 404,
                    f is null ? Error("ErrorItemNotFound", "The specified object was not found in the store.") : Checked("mailFolder", FolderJson(f)));
                return;
            case ["mailFolders", var folder, "messages", "delta"] when HttpMethods.IsGet(method):
                var (status, body) = MessageDelta(context, folder);
                await WriteAsync(context.Response, status, body);
                return;
            case ["messages", var id, "$value"] when HttpMethods.IsGet(method):
                if (Mailbox.Message(id) is not { } message)
                {
                    await WriteAsync(context.Response, 404, Error("ErrorItemNotFound", "The specified object was not found in the store."));
                    return;
                }
                Interlocked.Increment(ref _mimeServed);
                context.Response.ContentType = "text/plain";
                await context.Response.Body.WriteAsync(message.Mime, ct);
                return;
            case ["sendMail"] when HttpMethods.IsPost(method):
                await SendMailAsync(context, ct);
                return;
            default:
                await WriteAsync(context.Response, 400, Error("BadRequest", $"Unsupported request {method} {context.Request.Path}"));
                return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Subscriptions.Dispose();
    }
}
