using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mailroom.TestSupport.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mailroom.TestSupport.Gmail;

/// <summary>
/// A fake of the Gmail REST API (gmail/v1, users/me) on 127.0.0.1 over a <see cref="FakeGmailMailbox"/>: getProfile,
/// labels.list, messages.list (newest first, pages, labelIds), messages.get format=raw, the batch endpoint, and
/// history.list (404 once the start id is expired). Bearer tokens are checked at the OpenID test provider's userinfo
/// endpoint. Tests can make the next requests fail with 429 or 403 rateLimitExceeded, and count requests.
/// </summary>
public sealed partial class FakeGmailApi : IAsyncDisposable
{
    private readonly LocalWebApp _app;
    private readonly Func<string, CancellationToken, Task<bool>> _validate;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _valid = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(int Status, string Reason)> _failures = new();
    private long _requests;

    private FakeGmailApi(LocalWebApp app, FakeGmailMailbox mailbox, Func<string, CancellationToken, Task<bool>> validate)
    {
        _app = app;
        Mailbox = mailbox;
        _validate = validate;
    }

    public FakeGmailMailbox Mailbox { get; }

    public Uri Address => _app.Address;

    /// <summary>How long each request waits before it is answered (a slow network, to stop a sync midway).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Raw messages served (users.messages.get format=raw, directly or in a batch).</summary>
    public long RawServed => Interlocked.Read(ref _rawServed);

    private long _rawServed;

    /// <summary>HTTP requests answered (a batch counts once), failures included.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>The next requests (batch parts included) are answered with this status: 429, or 403 with the reason.</summary>
    public void FailNext(int count, int status, string reason = "rateLimitExceeded")
    {
        for (var i = 0; i < count; i++)
            _failures.Enqueue((status, reason));
    }

    /// <summary>Forgets accepted tokens, so that the next request asks the provider again (a revoked grant).</summary>
    public void ForgetTokens() => _valid.Clear();

    /// <summary>Answers 401 to every access token used so far (Google expired them early); new ones are accepted.</summary>
    public void RejectTokensSeenSoFar()
    {
        foreach (var token in _valid.Keys)
            _rejected[token] = true;
    }

    private readonly ConcurrentDictionary<string, bool> _rejected = new(StringComparer.Ordinal);

    /// <summary>Starts the fake; tokens are checked at <paramref name="issuer"/>'s userinfo endpoint (oidc-provider's <c>/me</c>).</summary>
    public static Task<FakeGmailApi> StartAsync(FakeGmailMailbox mailbox, Uri issuer, CancellationToken cancellationToken)
    {
        var http = new HttpClient();
        return StartAsync(mailbox, async (token, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(issuer, "/me"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, ct);
            return response.IsSuccessStatusCode;
        }, cancellationToken);
    }

    public static async Task<FakeGmailApi> StartAsync(FakeGmailMailbox mailbox, Func<string, CancellationToken, Task<bool>> validate, CancellationToken cancellationToken)
    {
        var builder = LocalWebApp.CreateBuilder();
        var app = builder.Build();
        FakeGmailApi? fake = null;
        app.Map("/{**path}", async (HttpContext context) =>
        {
            try
            {
                await fake!.HandleAsync(context);
            }
            catch (Exception ex) when (!context.Response.HasStarted)
            {
                // A fault of the fake itself: say so, so that a test failure shows it.
                await WriteAsync(context.Response, 500, Error(500, "fake failure: " + ex, "backendError", "INTERNAL"));
            }
        });
        fake = new FakeGmailApi(await LocalWebApp.StartAsync(app, cancellationToken), mailbox, validate);
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var ct = context.RequestAborted;
        if (Delay > TimeSpan.Zero)
            await Task.Delay(Delay, ct);
        if (PubSub is { } pubSub && await pubSub.TryHandleAsync(context, ct))
            return;
        var auth = context.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !await IsValidAsync(auth[7..], ct))
        {
            await WriteAsync(context.Response, 401, Error(401, "Request had invalid authentication credentials.", "authError", "UNAUTHENTICATED"));
            return;
        }

        var path = context.Request.Path.Value ?? "";
        if (path == "/batch/gmail/v1" && HttpMethods.IsPost(context.Request.Method))
        {
            await BatchAsync(context, ct);
            return;
        }
        if (path == "/gmail/v1/users/me/stop" && HttpMethods.IsPost(context.Request.Method))
        {
            Stop();
            context.Response.StatusCode = 204;
            return;
        }
        if (path == "/gmail/v1/users/me/watch" && HttpMethods.IsPost(context.Request.Method))
        {
            var (watchStatus, watchBody) = await WatchAsync(context, ct);
            await WriteAsync(context.Response, watchStatus, watchBody);
            return;
        }
        if (path is "/gmail/v1/users/me/messages/send" or "/upload/gmail/v1/users/me/messages/send" && HttpMethods.IsPost(context.Request.Method))
        {
            var (sendStatus, sendJson) = await SendAsync(context, path.StartsWith("/upload/", StringComparison.Ordinal), ct);
            await WriteAsync(context.Response, sendStatus, sendJson);
            return;
        }
        var (status, body) = Dispatch(context.Request.Method, path, context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToArray()));
        await WriteAsync(context.Response, status, body);
    }

    private async Task<bool> IsValidAsync(string token, CancellationToken ct)
    {
        if (_rejected.ContainsKey(token))
            return false;
        if (_valid.TryGetValue(token, out var until) && until > DateTimeOffset.UtcNow)
            return true;
        if (!await _validate(token, ct))
            return false;
        _valid[token] = DateTimeOffset.UtcNow.AddSeconds(5);
        return true;
    }

    /// <summary>One call of the API, as a direct request or as a batch part.</summary>
    private (int Status, string Body) Dispatch(string method, string path, Dictionary<string, string?[]> query)
    {
        if (_failures.TryDequeue(out var failure))
        {
            return failure.Status == 429
                ? (429, Error(429, "Too many concurrent requests for user.", "rateLimitExceeded", "RESOURCE_EXHAUSTED"))
                : (failure.Status, Error(failure.Status, "User-rate limit exceeded.", failure.Reason, "PERMISSION_DENIED"));
        }
        const string Prefix = "/gmail/v1/users/me/";
        if (!path.StartsWith(Prefix, StringComparison.Ordinal) || method != "GET")
            return (404, Error(404, "Not Found", "notFound", "NOT_FOUND"));
        var rest = path[Prefix.Length..];
        string? One(string name) => query.TryGetValue(name, out var v) && v.Length > 0 ? v[0] : null;

        switch (rest)
        {
            case "profile":
                return Valid("Profile", new JsonObject
                {
                    ["emailAddress"] = Mailbox.EmailAddress,
                    ["messagesTotal"] = Mailbox.Count,
                    ["threadsTotal"] = Mailbox.Count,
                    ["historyId"] = Mailbox.HistoryId.ToString(CultureInfo.InvariantCulture),
                });
            case "labels":
                return Valid("ListLabelsResponse", new JsonObject
                {
                    ["labels"] = new JsonArray([.. Mailbox.Labels().Select(l => (JsonNode)new JsonObject { ["id"] = l.Id, ["name"] = l.Name, ["type"] = l.Type })]),
                });
            case "messages":
            {
                var max = int.TryParse(One("maxResults"), out var m) ? Math.Clamp(m, 1, 500) : 100;
                var start = int.TryParse(One("pageToken"), out var p) ? p : 0;
                var ids = Mailbox.List(One("labelIds"));
                var page = ids.Skip(start).Take(max).Select(id => (JsonNode)new JsonObject { ["id"] = id, ["threadId"] = Mailbox.Get(id)?.ThreadId }).ToArray();
                var result = new JsonObject { ["resultSizeEstimate"] = ids.Count };
                if (page.Length > 0)
                    result["messages"] = new JsonArray(page);
                if (start + max < ids.Count)
                    result["nextPageToken"] = (start + max).ToString(CultureInfo.InvariantCulture);
                return Valid("ListMessagesResponse", result);
            }
            case "history":
                return History(One("startHistoryId"), One("pageToken"));
        }
        if (rest.StartsWith("messages/", StringComparison.Ordinal))
        {
            var message = Mailbox.Get(rest["messages/".Length..]);
            if (message is null)
                return (404, Error(404, "Requested entity was not found.", "notFound", "NOT_FOUND"));
            if (One("format") != "raw")
                return (400, Error(400, "this fake serves format=raw only", "invalidArgument", "INVALID_ARGUMENT"));
            Interlocked.Increment(ref _rawServed);
            return Valid("Message", new JsonObject
            {
                ["id"] = message.Id,
                ["threadId"] = message.ThreadId,
                ["labelIds"] = new JsonArray([.. Mailbox.LabelsOf(message).Select(l => (JsonNode)l)]),
                ["snippet"] = "",
                ["historyId"] = Mailbox.HistoryId.ToString(CultureInfo.InvariantCulture),
                ["internalDate"] = message.InternalDate.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                ["sizeEstimate"] = message.Raw.Length,
                ["raw"] = _encoded.GetOrAdd(message.Id, _ => Convert.ToBase64String(message.Raw).Replace('+', '-').Replace('/', '_')),
            });
        }
        return (404, Error(404, "Not Found", "notFound", "NOT_FOUND"));
    }

    private (int, string) History(string? startText, string? pageToken)
    {
        if (!ulong.TryParse(startText, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            return (400, Error(400, "Invalid startHistoryId", "invalidArgument", "INVALID_ARGUMENT"));
        var records = Mailbox.History(start);
        if (records is null)
            return (404, Error(404, "Requested entity was not found.", "notFound", "NOT_FOUND"));
        const int PageSize = 100;
        var skip = int.TryParse(pageToken, out var s) ? s : 0;
        var page = records.Skip(skip).Take(PageSize).ToList();
        var result = new JsonObject { ["historyId"] = Mailbox.HistoryId.ToString(CultureInfo.InvariantCulture) };
        if (page.Count > 0)
            result["history"] = new JsonArray([.. page.Select(Record)]);
        if (skip + PageSize < records.Count)
            result["nextPageToken"] = (skip + PageSize).ToString(CultureInfo.InvariantCulture);
        return Valid("ListHistoryResponse", result);
    }

    private static JsonNode Record(FakeGmailMailbox.HistoryRecord record)
    {
        JsonObject Message() => new()
        {
            ["id"] = record.MessageId,
            ["threadId"] = record.ThreadId,
            ["labelIds"] = new JsonArray([.. record.LabelIds.Select(l => (JsonNode)l)]),
        };
        var node = new JsonObject
        {
            ["id"] = record.Id.ToString(CultureInfo.InvariantCulture),
            ["messages"] = new JsonArray(new JsonObject { ["id"] = record.MessageId, ["threadId"] = record.ThreadId }),
        };
        var key = record.Kind switch
        {
            "messageAdded" => "messagesAdded",
            "messageDeleted" => "messagesDeleted",
            "labelAdded" => "labelsAdded",
            _ => "labelsRemoved",
        };
        var entry = new JsonObject { ["message"] = record.Kind == "messageDeleted" ? new JsonObject { ["id"] = record.MessageId, ["threadId"] = record.ThreadId } : Message() };
        if (record.Kind is "labelAdded" or "labelRemoved")
            entry["labelIds"] = new JsonArray([.. record.Changed.Select(l => (JsonNode)l)]);
        node[key] = new JsonArray(entry);
        return node;
    }

    /// <summary>
    /// Whether answers are checked against the discovery schemas (on by default; the benchmark turns it off, the check
    /// costing more than the answer, and the tests having checked the same answers).
    /// </summary>
    public bool CheckSchemas { get; set; } = true;

    private readonly ConcurrentDictionary<string, string> _encoded = new(StringComparer.Ordinal);

    /// <summary>A 200 answer, checked against its schema first.</summary>
    private (int, string) Valid(string schema, JsonObject body)
    {
        var json = body.ToJsonString();
        if (CheckSchemas)
            GmailSchemas.Require(schema, json);
        return (200, json);
    }

    private static string Error(int code, string message, string reason, string status) => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["domain"] = code == 403 ? "usageLimits" : "global", ["reason"] = reason }),
            ["status"] = status,
        },
    }.ToJsonString();

    private static async Task WriteAsync(HttpResponse response, int status, string json)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=UTF-8";
        if (status == 429)
            response.Headers.RetryAfter = "0";
        await response.WriteAsync(json);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
