using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Mailroom.TestSupport.Graph;

/// <summary>
/// JSON batching (<c>POST /v1.0/$batch</c>) of the fake Graph, as Graph does it: at most 20 requests, each run as if it
/// came alone (same token, its own throttling: a 429 inside a 200 batch), at most 4 of a batch at once (Exchange's
/// mailbox concurrency); a JSON answer is embedded as JSON, any other (a message's $value) as base64.
/// </summary>
internal static class FakeGraphBatch
{
    public const int MaxRequests = 20;

    public static async Task<(int Status, JsonObject Body)> RunAsync(HttpContext context, Func<HttpContext, Task> handle)
    {
        var json = JsonNode.Parse(await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted)) as JsonObject;
        if (json?["requests"] is not JsonArray requests || requests.Count == 0)
            return (400, FakeGraphApi.Error("BadRequest", "Invalid batch payload format."));
        if (requests.Count > MaxRequests)
            return (400, FakeGraphApi.Error("BadRequest", $"Number of requests exceeds limit {MaxRequests}."));
        using var slots = new SemaphoreSlim(4, 4);
        var answers = await Task.WhenAll(requests.Select(async node =>
        {
            var request = (JsonObject)node!;
            await slots.WaitAsync(context.RequestAborted);
            try
            {
                return await RunOneAsync(context, request, handle);
            }
            finally
            {
                slots.Release();
            }
        }));
        return (200, new JsonObject { ["responses"] = new JsonArray([.. answers]) });
    }

    private static async Task<JsonNode> RunOneAsync(HttpContext outer, JsonObject request, Func<HttpContext, Task> handle)
    {
        var url = request["url"]?.GetValue<string>() ?? "";
        var inner = new DefaultHttpContext();
        var query = url.IndexOf('?', StringComparison.Ordinal);
        inner.Request.Method = request["method"]?.GetValue<string>() ?? "GET";
        inner.Request.Path = "/v1.0" + (url.StartsWith('/') ? "" : "/") + (query < 0 ? url : url[..query]);
        inner.Request.QueryString = new QueryString(query < 0 ? "" : url[query..]);
        inner.Request.Headers.Authorization = outer.Request.Headers.Authorization;
        inner.Request.Headers["Prefer"] = outer.Request.Headers["Prefer"];
        if (request["headers"] is JsonObject headers)
        {
            foreach (var (name, value) in headers)
                inner.Request.Headers[name] = value?.GetValue<string>();
        }
        var body = new MemoryStream();
        inner.Response.Body = body;
        await handle(inner);
        var answer = new JsonObject { ["id"] = request["id"]?.GetValue<string>(), ["status"] = inner.Response.StatusCode };
        var responseHeaders = new JsonObject();
        if (inner.Response.ContentType is { } type)
            responseHeaders["Content-Type"] = type;
        if (inner.Response.Headers.RetryAfter.ToString() is { Length: > 0 } retryAfter)
            responseHeaders["Retry-After"] = retryAfter;
        answer["headers"] = responseHeaders;
        var bytes = body.ToArray();
        if (bytes.Length > 0)
            answer["body"] = (inner.Response.ContentType ?? "").StartsWith("application/json", StringComparison.Ordinal)
                ? JsonNode.Parse(bytes)
                : Convert.ToBase64String(bytes);
        return answer;
    }
}
