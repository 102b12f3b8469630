using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Mailroom.TestSupport.Gmail;

/// <summary>
/// The Cloud Pub/Sub REST API as far as Gmail push needs it, served beside <see cref="FakeGmailApi"/>: one topic with one
/// pull subscription (<c>POST /v1/{subscription}:pull</c>, <c>:acknowledge</c>; a message pulled and not acknowledged
/// within the ack deadline is delivered again), and the token endpoint of a service account (JWT bearer grant, the
/// assertion's RS256 signature checked with the account's public key).
/// </summary>
public sealed class FakePubSub(string topic, string subscription, RSA serviceAccountKey, Uri address)
{
    private readonly ConcurrentDictionary<string, (string Data, DateTimeOffset VisibleAt)> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _tokens = new(StringComparer.Ordinal);
    private long _next;

    public string Topic => topic;

    public string Subscription => subscription;

    /// <summary>The token endpoint for the service account key's <c>token_uri</c>.</summary>
    public Uri TokenUri => new(address, "/token");

    /// <summary>While false, Gmail "publishes" nothing (a silent push).</summary>
    public bool Publishing { get; set; } = true;

    public long Published => Interlocked.Read(ref _published);

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    private long _published;
    private long _acknowledged;

    /// <summary>What Gmail publishes on a change: base64 of {"emailAddress", "historyId"}.</summary>
    public void Publish(string emailAddress, ulong historyId)
    {
        if (!Publishing)
            return;
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["emailAddress"] = emailAddress, ["historyId"] = historyId }.ToJsonString()));
        _pending[Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture)] = (data, DateTimeOffset.MinValue);
        Interlocked.Increment(ref _published);
    }

    /// <summary>A service account key (JSON) for Mailroom's <c>Gmail:PubSubCredentialsFile</c>, pointing at this token endpoint.</summary>
    public string ServiceAccountJson() => new JsonObject
    {
        ["type"] = "service_account",
        ["client_email"] = "mailroom@test-project.iam.gserviceaccount.com",
        ["private_key"] = serviceAccountKey.ExportPkcs8PrivateKeyPem(),
        ["token_uri"] = TokenUri.ToString(),
    }.ToJsonString();

    internal async Task<bool> TryHandleAsync(HttpContext context, CancellationToken ct)
    {
        var path = context.Request.Path.Value ?? "";
        if (path == "/token" && HttpMethods.IsPost(context.Request.Method))
        {
            var form = await context.Request.ReadFormAsync(ct);
            if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" || !ValidAssertion(form["assertion"].ToString()))
            {
                await Json(context, 400, new JsonObject { ["error"] = "invalid_grant" });
                return true;
            }
            var token = "pubsub-" + Guid.NewGuid().ToString("N");
            _tokens[token] = true;
            await Json(context, 200, new JsonObject { ["access_token"] = token, ["expires_in"] = 3600, ["token_type"] = "Bearer" });
            return true;
        }
        if (!path.StartsWith("/v1/", StringComparison.Ordinal))
            return false;

        var auth = context.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.ContainsKey(auth[7..]))
        {
            await Json(context, 401, new JsonObject { ["error"] = new JsonObject { ["code"] = 401, ["message"] = "unauthenticated", ["status"] = "UNAUTHENTICATED" } });
            return true;
        }
        using var reader = new StreamReader(context.Request.Body);
        var body = JsonNode.Parse(await reader.ReadToEndAsync(ct))?.AsObject() ?? [];
        if (path == $"/v1/{subscription}:pull")
        {
            var max = body["maxMessages"]?.GetValue<int>() ?? 0;
            if (max < 1)
            {
                await Json(context, 400, new JsonObject { ["error"] = new JsonObject { ["code"] = 400, ["message"] = "maxMessages must be positive" } });
                return true;
            }
            // A pull with nothing to deliver waits a little, as Pub/Sub's does (not returnImmediately).
            for (var i = 0; i < 20 && !_pending.Any(p => p.Value.VisibleAt <= DateTimeOffset.UtcNow); i++)
                await Task.Delay(100, ct);
            var now = DateTimeOffset.UtcNow;
            var messages = new JsonArray();
            foreach (var (id, (data, visibleAt)) in _pending.Where(p => p.Value.VisibleAt <= now).OrderBy(p => long.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture)).Take(max).ToList())
            {
                _pending[id] = (data, now.AddSeconds(10)); // the ack deadline
                messages.Add(new JsonObject { ["ackId"] = "ack-" + id, ["message"] = new JsonObject { ["data"] = data, ["messageId"] = id, ["publishTime"] = now.ToString("O") } });
            }
            await Json(context, 200, messages.Count == 0 ? [] : new JsonObject { ["receivedMessages"] = messages });
            return true;
        }
        if (path == $"/v1/{subscription}:acknowledge")
        {
            foreach (var ackId in body["ackIds"]?.AsArray() ?? [])
            {
                if (_pending.TryRemove(ackId!.GetValue<string>()["ack-".Length..], out _))
                    Interlocked.Increment(ref _acknowledged);
            }
            await Json(context, 200, []);
            return true;
        }
        await Json(context, 404, new JsonObject { ["error"] = new JsonObject { ["code"] = 404, ["message"] = "Resource not found", ["status"] = "NOT_FOUND" } });
        return true;
    }

    private bool ValidAssertion(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
            return false;
        static byte[] Decode(string s) => Convert.FromBase64String(s.Replace('-', '+').Replace('_', '/').PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
        if (!serviceAccountKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Decode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            return false;
        var claims = JsonNode.Parse(Decode(parts[1]))!;
        return claims["aud"]?.GetValue<string>() == TokenUri.ToString()
            && claims["scope"]?.GetValue<string>() == "https://www.googleapis.com/auth/pubsub"
            && claims["exp"]?.GetValue<long>() > DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    }

    private static async Task Json(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
