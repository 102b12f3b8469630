using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.GmailApi;

/// <summary>
/// Reads Gmail's push notifications from the Cloud Pub/Sub subscription with the REST pull API
/// (<c>…/subscriptions/S:pull</c>, then <c>:acknowledge</c>), so <c>serve</c> needs no public URL. It authenticates as the
/// configured service account (OAuth 2.0 JWT bearer grant, RFC 7523, scope pubsub). A notification is acknowledged once
/// handed over: it is only a hint (the worker reads the history), so one lost in a crash costs at most a poll.
/// </summary>
public sealed class GmailPushSubscriber(GmailOptions options, TimeProvider time) : IDisposable
{
    private const string Scope = "https://www.googleapis.com/auth/pubsub";
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(90) };
    private string? _token;
    private DateTimeOffset _tokenExpires;

    public void Dispose() => _http.Dispose();

    /// <summary>One pull: the (address, history id) of each notification received, all acknowledged.</summary>
    public async Task<IReadOnlyList<(string EmailAddress, ulong HistoryId)>> PullAsync(CancellationToken cancellationToken)
    {
        var subscription = options.PubSubSubscription!;
        var pulled = await PostAsync($"v1/{subscription}:pull",
            JsonSerializer.SerializeToUtf8Bytes(new PubSubPullRequestJson(100), GmailJson.Default.PubSubPullRequestJson), cancellationToken);
        var received = JsonSerializer.Deserialize(pulled, GmailJson.Default.PubSubPullJson)?.ReceivedMessages ?? [];
        var result = new List<(string, ulong)>();
        foreach (var message in received)
        {
            try
            {
                var data = Convert.FromBase64String(message.Message?.Data ?? "");
                if (JsonSerializer.Deserialize(data, GmailJson.Default.GmailPushDataJson) is { EmailAddress: { } address } push)
                    result.Add((address, push.HistoryId));
            }
            catch (Exception ex) when (ex is FormatException or JsonException)
            {
                // Not a Gmail notification: acknowledged below so that it does not come back.
            }
        }
        var ackIds = received.Where(r => r.AckId is not null).Select(r => r.AckId!).ToList();
        if (ackIds.Count > 0)
        {
            await PostAsync($"v1/{subscription}:acknowledge",
                JsonSerializer.SerializeToUtf8Bytes(new PubSubAckRequestJson(ackIds), GmailJson.Default.PubSubAckRequestJson), cancellationToken);
        }
        return result;
    }

    private async Task<byte[]> PostAsync(string relative, byte[] json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(options.PubSubBaseUrl.TrimEnd('/') + "/"), relative))
        {
            Content = new ByteArrayContent(json) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken));
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
                _token = null;
            if (!response.IsSuccessStatusCode)
                throw new ConnectorException(ConnectorErrorKind.Transient, $"Pub/Sub {relative}: {(int)response.StatusCode} {GmailApiErrors.Describe(body)}");
            return body;
        }
        catch (HttpRequestException ex)
        {
            throw new ConnectorException(ConnectorErrorKind.Transient, $"Pub/Sub {relative}: {ex.Message}", ex);
        }
    }

    /// <summary>An access token for the service account: a signed JWT exchanged at its token URI (RFC 7523 §2.1).</summary>
    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (_token is not null && _tokenExpires - time.GetUtcNow() > TimeSpan.FromMinutes(1))
            return _token;
        var key = JsonNode.Parse(await File.ReadAllTextAsync(options.PubSubCredentialsFile!, cancellationToken))
            ?? throw new ConnectorException(ConnectorErrorKind.Misconfigured, "Gmail:PubSubCredentialsFile is not a service account key.");
        var email = key["client_email"]?.GetValue<string>();
        var pem = key["private_key"]?.GetValue<string>();
        var tokenUri = key["token_uri"]?.GetValue<string>() ?? "https://oauth2.googleapis.com/token";
        if (email is null || pem is null)
            throw new ConnectorException(ConnectorErrorKind.Misconfigured, "Gmail:PubSubCredentialsFile has no client_email or private_key.");

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var header = Base64Url.Encode("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"u8);
        var claims = Base64Url.Encode(Encoding.UTF8.GetBytes(new JsonObject
        {
            ["iss"] = email, ["scope"] = Scope, ["aud"] = tokenUri, ["iat"] = now, ["exp"] = now + 3600,
        }.ToJsonString()));
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(header + "." + claims), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
            ["assertion"] = header + "." + claims + "." + Base64Url.Encode(signature),
        });
        using var response = await _http.PostAsync(new Uri(tokenUri), form, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new ConnectorException(ConnectorErrorKind.Misconfigured, $"The service account's token request was refused: {(int)response.StatusCode}.");
        var token = JsonNode.Parse(body);
        _token = token?["access_token"]?.GetValue<string>() ?? throw new ConnectorException(ConnectorErrorKind.Transient, "The token answer has no access_token.");
        _tokenExpires = time.GetUtcNow().AddSeconds(token["expires_in"]?.GetValue<long>() ?? 3600);
        return _token;
    }
}
