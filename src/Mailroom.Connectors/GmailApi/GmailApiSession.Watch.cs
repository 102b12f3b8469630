using System.Net.Http.Headers;
using System.Text.Json;

namespace Mailroom.Connectors.GmailApi;

internal sealed partial class GmailApiSession
{
    private const int WatchUnits = 100;

    public async Task<DateTimeOffset> WatchAsync(string topic, CancellationToken cancellationToken)
    {
        const string What = "users.watch";
        var json = JsonSerializer.SerializeToUtf8Bytes(new GmailWatchRequestJson(topic), GmailJson.Default.GmailWatchRequestJson);
        var (status, body, _) = await SendRequestAsync(() =>
        {
            var content = new ByteArrayContent(json);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
            return new HttpRequestMessage(HttpMethod.Post, Url("gmail/v1/users/me/watch")) { Content = content };
        }, WatchUnits, What, cancellationToken);
        GmailApiErrors.ThrowUnlessOk(status, body, What);
        var watch = Parse(body, GmailJson.Default.GmailWatchResponseJson, What);
        return DateTimeOffset.FromUnixTimeMilliseconds(watch.Expiration);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        const string What = "users.stop";
        var (status, body, _) = await SendRequestAsync(() => new HttpRequestMessage(HttpMethod.Post, Url("gmail/v1/users/me/stop")), WatchUnits, What, cancellationToken);
        GmailApiErrors.ThrowUnlessOk(status, body, What);
    }
}
