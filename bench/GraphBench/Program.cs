using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Mailroom.Connectors.Auth;
using Mailroom.Core.Accounts;
using Mailroom.Core.Events;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync.Graph;
using Mailroom.Server.Hosting;
using Mailroom.Server.Sync;
using Mailroom.Storage;
using Mailroom.TestSupport.Graph;

// bench/graph.sh: a mailbox of the messages in a folder (../shared/bench corpus S: 10,000 in inbox/) served by the
// tests' fake Graph, synced by Mailroom in one process:
//   1. initial sync through the sync runner (`mailroom sync`'s path): messages/s, HTTP requests per message;
//   2. unchanged mailbox: requests of a new session (sync runner) and of a serving worker's session (kept);
//   3. serving with Graph:NotificationUrl: N changes at the fake, each timed from the change to the message.created
//      webhook Mailroom posts to a receiver; p50, p99, max.
//   GraphBench MESSAGE_FOLDER [CHANGES]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: GraphBench MESSAGE_FOLDER [CHANGES]");
    return 2;
}
var ct = CancellationToken.None;
var files = Directory.GetFiles(args[0]).Order(StringComparer.Ordinal).ToList();
var changes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;

var graph = new FakeGraphMailbox();
long rawBytes = 0;
for (var i = 0; i < files.Count; i++)
{
    var raw = await File.ReadAllBytesAsync(files[i], ct);
    rawBytes += raw.Length;
    graph.Add("inbox", raw, "conv-" + (i / 3).ToString(CultureInfo.InvariantCulture), new DateTimeOffset(File.GetLastWriteTimeUtc(files[i]), TimeSpan.Zero), isRead: i % 4 != 0);
}
const string Token = "bench-access-token", Address = "bench1@bench.test";
await using var api = await FakeGraphApi.StartAsync(graph, Address, (token, _) => Task.FromResult(token == Token), ct);
Console.Error.WriteLine($"{files.Count:N0} messages, {rawBytes / 1e6:F1} MB; fake Graph at {api.BaseUrl}; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

// The webhook receiver: when each message.created arrived.
var arrivals = new ConcurrentQueue<long>();
var receiverBuilder = WebApplication.CreateSlimBuilder();
receiverBuilder.Logging.ClearProviders();
receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
var receiver = receiverBuilder.Build();
receiver.MapPost("/hook", async (HttpContext context) =>
{
    var stamp = Stopwatch.GetTimestamp();
    using var reader = new StreamReader(context.Request.Body);
    var body = await reader.ReadToEndAsync();
    if (body.Contains(EventTypes.MessageCreated, StringComparison.Ordinal))
        arrivals.Enqueue(stamp);
    return Results.NoContent();
});
await receiver.StartAsync(ct);

var port = FreePort();
var data = Directory.CreateTempSubdirectory("mailroom-graph-bench-").FullName;
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["DataPath"] = data,
    ["Logging:LogLevel:Default"] = "Warning",
    ["Graph:BaseUrl"] = api.BaseUrl.ToString(),
    ["Graph:DeltaPageSize"] = "1000",
    ["Graph:NotificationUrl"] = $"http://127.0.0.1:{port}/graph/notifications",
    ["Graph:PollInterval"] = "01:00:00",
    ["Graph:PushSilence"] = "01:00:00",
    ["Webhooks:AllowedNetworks:0"] = "127.0.0.1/32",
    ["OAuth:Providers:bench:ClientId"] = "bench",
    ["OAuth:Providers:bench:TokenEndpoint"] = "http://127.0.0.1:9/token",
}).Build();
var app = MailroomWebApp.Build(configuration, b => b.WebHost.UseUrls($"http://127.0.0.1:{port}"));
await DatabaseInitializer.MigrateAsync(app.Services, ct);
var accounts = app.Services.GetRequiredService<IAccountStore>();
var org = await accounts.EnsureOrganizationAsync("bench", ct);
var tokens = app.Services.GetRequiredService<MailboxCredentials>().Protect(new OAuthTokens(Token, null, DateTimeOffset.UtcNow.AddDays(1)));
var mailbox = await accounts.AddOAuthMailboxAsync(org, "graph", MailboxProtocol.Graph, new MailboxSettings
{
    Host = api.BaseUrl.Host, Port = api.BaseUrl.Port, UserName = Address, Address = Address, OAuthProvider = "bench",
}, tokens, ct);

// 1. Initial sync.
var runner = app.Services.GetRequiredService<MailboxSyncRunner>();
var requests = api.Requests;
var clock = Stopwatch.StartNew();
var first = await runner.RunAsync(mailbox, null, ct);
var seconds = clock.Elapsed.TotalSeconds;
requests = api.Requests - requests;
Console.WriteLine(FormattableString.Invariant(
    $$"""{"phase": "initial", "messages": {{first.MessagesFetched}}, "seconds": {{seconds:F2}}, "msg_per_s": {{first.MessagesFetched / seconds:F0}}, "requests": {{requests}}, "requests_per_message": {{(double)requests / first.MessagesFetched:F4}}, "batched_requests": {{api.BatchedRequests}}}"""));

// 2. Unchanged: a new session (as `mailroom sync`), then a session kept across polls (as serve's worker).
var folders = (await app.Services.GetRequiredService<IMessageStore>().ListFoldersAsync(mailbox.Id, ct)).Count;
requests = api.Requests;
await runner.RunAsync(mailbox, null, ct);
Console.WriteLine(FormattableString.Invariant($$"""{"phase": "unchanged", "session": "new", "folders": {{folders}}, "requests": {{api.Requests - requests}}}"""));
await using (var session = await runner.ConnectGraphAsync(mailbox, ct))
{
    var sync = app.Services.GetRequiredService<GraphSync>();
    await sync.RunAsync(mailbox.Id, session, null, ct);
    requests = api.Requests;
    await sync.RunAsync(mailbox.Id, session, null, ct);
    Console.WriteLine(FormattableString.Invariant($$"""{"phase": "unchanged", "session": "kept", "folders": {{folders}}, "requests": {{api.Requests - requests}}}"""));
}

// 3. Notification → webhook latency, serving.
await app.Services.GetRequiredService<IWebhookStore>().AddSubscriptionAsync(org, new Uri(new Uri(receiver.Urls.First()), "/hook"),
    app.Services.GetRequiredService<ISecretProtector>().Protect(SecretPurposes.WebhookSecret, "whsec_graph_bench_0123456789"), [EventTypes.MessageCreated], ct);
await app.StartAsync(ct);
var until = DateTime.UtcNow.AddSeconds(60);
while (api.Subscriptions.Live.Count == 0)
{
    if (DateTime.UtcNow > until)
        throw new InvalidOperationException("serve made no subscription within 60 s");
    await Task.Delay(50, ct);
}
await Task.Delay(1000, ct); // the worker's first delta after subscribing ends
var latencies = new List<double>();
for (var i = 0; i < changes; i++)
{
    var before = arrivals.Count;
    var started = Stopwatch.GetTimestamp();
    graph.Add("inbox", Encoding.ASCII.GetBytes(
        $"From: candidate{i}@example.com\r\nTo: {Address}\r\nSubject: Application {i}\r\nMessage-ID: <graph-bench-{i}@example.com>\r\n" +
        $"Date: {DateTimeOffset.UtcNow:R}\r\nContent-Type: text/plain\r\n\r\nHello {i}.\r\n"), "new-" + i.ToString(CultureInfo.InvariantCulture), DateTimeOffset.UtcNow);
    var deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
    while (arrivals.Count == before)
    {
        if (Stopwatch.GetTimestamp() > deadline)
            throw new InvalidOperationException($"no webhook for change {i} within 30 s");
        await Task.Delay(1, ct);
    }
    latencies.Add(Stopwatch.GetElapsedTime(started, arrivals.Last()).TotalMilliseconds);
}
latencies.Sort();
double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
Console.WriteLine(FormattableString.Invariant(
    $$"""{"phase": "notification_to_webhook", "changes": {{changes}}, "p50_ms": {{Percentile(0.5):F0}}, "p99_ms": {{Percentile(0.99):F0}}, "max_ms": {{latencies[^1]:F0}}}"""));
await app.StopAsync(ct);
await app.DisposeAsync();
await receiver.DisposeAsync();
return 0;

static int FreePort()
{
    using var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    return ((IPEndPoint)l.LocalEndpoint).Port;
}
