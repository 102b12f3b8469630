using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Mailroom.Server.Tests.Events;

/// <summary><c>GET /v1/changes</c>: order, cursors, limits, isolation, long-poll and its errors.</summary>
public sealed class ChangesApiTests : IAsyncLifetime
{
    private EventsTestApp _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _app = await EventsTestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(long org, string query)
    {
        using var response = await _app.Client.SendAsync(EventsTestApp.As(org, HttpMethod.Get, "/v1/changes" + query), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task A_client_following_the_cursor_gets_every_event_once_in_order()
    {
        var (org, _, folder) = await _app.NewMailboxAsync();
        var (empty, first) = await GetAsync(org, "");
        Assert.Equal(HttpStatusCode.OK, empty);
        Assert.Empty(first.GetProperty("events").EnumerateArray());

        await _app.IngestAsync(folder, 1, 3);
        var seen = new List<long>();
        var cursor = first.GetProperty("cursor").GetString();
        var pages = 0;
        while (true)
        {
            var (_, page) = await GetAsync(org, $"?cursor={cursor}&limit=2");
            var events = page.GetProperty("events").EnumerateArray().ToList();
            if (events.Count == 0)
            {
                Assert.False(page.GetProperty("hasMore").GetBoolean());
                Assert.Equal(cursor, page.GetProperty("cursor").GetString());
                break;
            }
            pages++;
            seen.AddRange(events.Select(e => e.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("cursor").GetString();
            Assert.Equal(events[^1].GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), cursor);
        }

        // Three messages, each in a new thread: three message.created and three thread.updated, in commit order.
        Assert.Equal(6, seen.Count);
        Assert.Equal(seen.Order(), seen);
        Assert.Equal(3, pages);
        var (_, all) = await GetAsync(org, "?limit=10");
        var types = all.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(["message.created", "message.created", "message.created", "thread.updated", "thread.updated", "thread.updated"], types);
        var data = all.GetProperty("events")[0].GetProperty("data");
        Assert.Equal("Message 1", data.GetProperty("subject").GetString());
        Assert.Equal(folder, data.GetProperty("folderId").GetInt64());
    }

    [Fact]
    public async Task Another_organization_sees_none_of_it()
    {
        var (org, _, folder) = await _app.NewMailboxAsync();
        var (other, _, _) = await _app.NewMailboxAsync();
        await _app.IngestAsync(folder, 1, 2);

        var (_, mine) = await GetAsync(org, "");
        var (_, theirs) = await GetAsync(other, "");
        Assert.NotEmpty(mine.GetProperty("events").EnumerateArray());
        Assert.Empty(theirs.GetProperty("events").EnumerateArray());
    }

    [Fact]
    public async Task A_long_poll_returns_as_soon_as_an_event_commits()
    {
        // Polling the database (every 200 ms in the other tests) would find the event too: with a poll a minute apart,
        // only the commit's wake-up can answer within the limit below.
        await _app.DisposeAsync();
        _app = await EventsTestApp.StartAsync(new Dictionary<string, string?> { ["Changes:PollInterval"] = "00:01:00" });
        var (org, _, folder) = await _app.NewMailboxAsync();
        var (_, latest) = await GetAsync(org, "?cursor=latest");
        var cursor = latest.GetProperty("cursor").GetString();

        var clock = Stopwatch.StartNew();
        var poll = GetAsync(org, $"?cursor={cursor}&wait=20");
        await Task.Delay(500, Ct);
        Assert.False(poll.IsCompleted);
        await _app.IngestAsync(folder, 1, 1);
        var (status, page) = await poll;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(5));
        Assert.Equal("message.created", page.GetProperty("events")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_long_poll_with_nothing_new_answers_empty_when_the_wait_ends()
    {
        var (org, _, _) = await _app.NewMailboxAsync();
        var clock = Stopwatch.StartNew();
        var (status, page) = await GetAsync(org, "?cursor=latest&wait=1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
        Assert.Empty(page.GetProperty("events").EnumerateArray());
    }

    [Theory]
    [InlineData("?cursor=abc")]
    [InlineData("?cursor=-1")]
    [InlineData("?limit=0")]
    [InlineData("?limit=1001")]
    [InlineData("?wait=61")]
    [InlineData("?wait=-1")]
    public async Task Bad_parameters_are_problem_details(string query)
    {
        var (org, _, _) = await _app.NewMailboxAsync();
        using var response = await _app.Client.SendAsync(EventsTestApp.As(org, HttpMethod.Get, "/v1/changes" + query), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Without_authentication_the_feed_answers_401()
    {
        using var response = await _app.Client.GetAsync(new Uri("/v1/changes", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
