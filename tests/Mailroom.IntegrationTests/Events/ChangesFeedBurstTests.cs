using Mailroom.Core.Accounts;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Mailroom.Core.Connectors;
using Mailroom.Core.Messages;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.Server.Api.V1;
using Mailroom.Server.Hosting;
using Mailroom.TestSupport.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.IntegrationTests.Events;

/// <summary>
/// The changes feed read over HTTP (long-poll) while 1,000 messages are ingested by concurrent writers, half of them in
/// another set of services over the same database (standing in for another process: its commits do not wake the feed,
/// which must find them by polling). The reader must see every event exactly once, in order.
/// </summary>
public sealed class ChangesFeedBurstTests
{
    private const int Messages = 1000;
    private const int BatchSize = 25;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public Task Sqlite_a_burst_of_1000_messages_reaches_a_feed_reader_exactly_once_in_order() => BurstAsync(Database.Sqlite);

    [Fact]
    public Task Postgres_a_burst_of_1000_messages_reaches_a_feed_reader_exactly_once_in_order() => BurstAsync(Database.Postgres);

    private static async Task BurstAsync(Database database)
    {
        if (database == Database.Postgres)
            LiveServers.RequirePostgres();
        await using var writerHost = await MailroomTestHost.StartAsync(database);
        var settings = new Dictionary<string, string?>
        {
            ["DataPath"] = writerHost.DataPath,
            ["Changes:PollInterval"] = "00:00:00.200",
        };
        if (writerHost.PostgresConnectionString is { } pg)
            settings["Storage:ConnectionString"] = pg;
        await using var feed = await FeedApp.StartAsync(settings);

        var accounts = writerHost.Accounts;
        var org = await accounts.EnsureOrganizationAsync("burst", Ct);
        var mailbox = await accounts.AddMailboxAsync(org, "burst", MailboxProtocol.Imap, new Core.Accounts.MailboxSettings { Host = "h", Port = 993, UserName = "u" }, "x", Ct);
        var folders = new List<long>();
        for (var i = 0; i < 4; i++)
            folders.Add((await writerHost.Messages.UpsertFolderAsync(mailbox.Id, new RemoteFolder("F" + i, '/', FolderRole.None, CanSelect: true), Ct)).Id);
        var (_, start) = await feed.GetAsync(org, "?cursor=latest");
        var cursor = start.GetProperty("cursor").GetString();

        var seen = new List<(long Id, string Type)>();
        using var writersDone = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            while (true)
            {
                var finished = writersDone.IsCancellationRequested;
                var (_, page) = await feed.GetAsync(org, $"?cursor={cursor}&limit=200&wait={(finished ? 0 : 5)}");
                var events = page.GetProperty("events").EnumerateArray().ToList();
                seen.AddRange(events.Select(e => (e.GetProperty("id").GetInt64(), e.GetProperty("type").GetString()!)));
                cursor = page.GetProperty("cursor").GetString();
                if (events.Count == 0 && finished)
                    return;
            }
        }, Ct);

        // Two writers in the feed's own services (their commits wake it), two in the other services (found by polling).
        var stores = new[] { feed.Messages, feed.Messages, writerHost.Messages, writerHost.Messages };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var uids = Enumerable.Range(0, Messages / 4).Select(i => w * (Messages / 4) + i + 1).ToList();
            foreach (var chunk in uids.Chunk(BatchSize))
                await stores[w].SaveMessagesAsync(folders[w], [.. chunk.Select(n => Ingest(n))], Ct);
        }, Ct)));
        var ingest = clock.Elapsed;
        await writersDone.CancelAsync();
        await reader.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var log = new List<long>();
        long after = 0;
        while (await writerHost.Services.GetRequiredService<IEventStore>().ReadAsync(org, after, 500, Ct) is { Count: > 0 } page)
        {
            log.AddRange(page.Where(e => e.Id > long.Parse(start.GetProperty("cursor").GetString()!, CultureInfo.InvariantCulture)).Select(e => e.Id));
            after = page[^1].Id;
        }
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{database}: {Messages} messages ingested in {ingest.TotalSeconds:F2} s, {seen.Count} events read by the feed ({seen.Count(e => e.Type == "message.created")} message.created)");
        Assert.Equal(Messages, seen.Count(e => e.Type == "message.created"));
        Assert.Equal(seen.Count, seen.Select(e => e.Id).Distinct().Count());
        Assert.Equal(log, seen.Select(e => e.Id));
    }

    private static IngestedMessage Ingest(int n)
    {
        var raw = TestMessages.Numbered(n, "burst@mailroom.test");
        return IngestedMessage.Of(new FetchedMessage((uint)n, MessageFlags.None, [], DateTimeOffset.UtcNow, raw), MessageNormalizer.Normalize(raw));
    }

    /// <summary>The changes endpoint in a real app, behind a test authentication that takes the organization from a header.</summary>
    private sealed class FeedApp : IAsyncDisposable
    {
        private readonly LocalWebApp _app;
        private readonly HttpClient _client;

        private FeedApp(LocalWebApp app)
        {
            _app = app;
            _client = new HttpClient { BaseAddress = app.Address };
        }

        public IMessageStore Messages => _app.Services.GetRequiredService<IMessageStore>();

        public static async Task<FeedApp> StartAsync(Dictionary<string, string?> settings)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var builder = LocalWebApp.CreateBuilder();
            builder.Services.AddMailroom(configuration);
            builder.Services.AddAuthentication("Test").AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>("Test", null);
            builder.Services.AddAuthorization();
            var app = builder.Build();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGroup("/v1").RequireAuthorization().MapChanges();
            return new FeedApp(await LocalWebApp.StartAsync(app, Ct));
        }

        public async Task<(int Status, JsonElement Body)> GetAsync(long org, string query)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/changes" + query, UriKind.Relative));
            request.Headers.Add("X-Test-Org", org.ToString(CultureInfo.InvariantCulture));
            using var response = await _client.SendAsync(request, Ct);
            return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await _app.DisposeAsync();
        }
    }

    private sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(Request.Headers.TryGetValue("X-Test-Org", out var org)
                ? AuthenticateResult.Success(new AuthenticationTicket(
                    new ClaimsPrincipal(new ClaimsIdentity([new Claim(ApiPrincipal.OrganizationClaim, org.ToString())], "Test")), "Test"))
                : AuthenticateResult.NoResult());
    }
}
