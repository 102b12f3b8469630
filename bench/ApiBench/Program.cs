using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mailroom.Bench.Shared;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Server.Hosting;
using Mailroom.Storage;
using Mailroom.Storage.Stores;

// 100,000 messages in one mailbox of a fresh SQLite store (the ContactsBench shape: 2,000 correspondents, 1,000 of
// them contacts linked on ingest, a quarter of the messages unread), served by the real web app on Kestrel at
// 127.0.0.1; requests from HttpClient in the same process, one at a time. p50/p99 per kind over 500 requests.
const int Messages = 100_000;
const int Correspondents = BenchCorpus.Correspondents;
const int Requests = 500;
var ct = CancellationToken.None;
var dir = Directory.CreateTempSubdirectory("mailroom-api-bench-").FullName;
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["DataPath"] = dir,
    ["Logging:LogLevel:Default"] = "Warning",
}).Build();
var app = MailroomWebApp.Build(configuration, b => b.WebHost.UseUrls("http://127.0.0.1:0"));
await DatabaseInitializer.MigrateAsync(app.Services, ct);

var accounts = app.Services.GetRequiredService<IAccountStore>();
var store = app.Services.GetRequiredService<IMessageStore>();
var contacts = app.Services.GetRequiredService<IContactStore>();
var org = await accounts.EnsureOrganizationAsync("bench", ct);
var (_, key) = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(org, "bench", ct);
var mailbox = await accounts.AddMailboxAsync(org, "owner", MailboxProtocol.Imap, new MailboxSettings { Host = "127.0.0.1", Port = 1, UserName = BenchCorpus.Owner, Address = BenchCorpus.Owner }, "x", ct);
await accounts.SetMailboxPausedAsync(mailbox.Id, true, ct); // no worker: nothing to connect to
var inbox = await store.UpsertFolderAsync(mailbox.Id, new RemoteFolder("INBOX", '/', FolderRole.Inbox, true), ct);
for (var c = 0; c < Correspondents / 2; c++)
    await contacts.UpsertAsync(org, BenchCorpus.Contact(c), ct);

// A quarter of the messages unread.
IngestedMessage Make(int i) => BenchCorpus.Message(i, i % 4 == 0 ? MessageFlags.None : MessageFlags.Seen);

var load = Stopwatch.StartNew();
for (var i = 0; i < Messages; i += 250)
    await store.SaveMessagesAsync(inbox.Id, [.. Enumerable.Range(i, 250).Select(Make)], ct);
Console.WriteLine($"store: {Messages:N0} messages in {load.Elapsed.TotalSeconds:F1} s");

await app.StartAsync(ct);
var url = app.Urls.First();
using var http = new HttpClient { BaseAddress = new Uri(url) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
Console.WriteLine($"serving on {url}; {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

async Task<(double Ms, JsonElement Body)> GetAsync(string path)
{
    var sw = Stopwatch.StartNew();
    using var response = await http.GetAsync(path, ct);
    var bytes = await response.Content.ReadAsByteArrayAsync(ct);
    var ms = sw.Elapsed.TotalMilliseconds;
    if (!response.IsSuccessStatusCode)
        throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {Encoding.UTF8.GetString(bytes)}");
    return (ms, JsonDocument.Parse(bytes).RootElement.Clone());
}

static string? Next(JsonElement page) => page.GetProperty("nextCursor").GetString();

// Warm-up: JIT, connection, SQLite page cache.
for (var i = 0; i < 50; i++)
{
    await GetAsync($"/v1/messages?mailbox={mailbox.Id}&limit=50");
    await GetAsync($"/v1/contacts/c{i}/timeline?limit=50");
}

var rng = new Random(42);
var results = new List<(string Name, List<double> Ms)>();

// 1. Message list, first page of the mailbox.
var first = new List<double>();
for (var n = 0; n < Requests; n++)
    first.Add((await GetAsync($"/v1/messages?mailbox={mailbox.Id}&limit=50")).Ms);
results.Add(("messages, first page (mailbox filter, 50)", first));

// 2. Message list, walking pages deep into the mailbox (each request follows the previous cursor).
var deep = new List<double>();
string? cursor = null;
for (var n = 0; n < Requests; n++)
{
    var (ms, body) = await GetAsync($"/v1/messages?mailbox={mailbox.Id}&limit=50" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
    deep.Add(ms);
    cursor = Next(body);
}
results.Add(("messages, pages 1-500 walked by cursor (25,000 rows)", deep));

// 3. Org-wide list (no mailbox filter) and filtered lists.
var org1 = new List<double>();
for (var n = 0; n < Requests; n++)
    org1.Add((await GetAsync("/v1/messages?limit=50")).Ms);
results.Add(("messages, first page, whole organization", org1));

var unread = new List<double>();
for (var n = 0; n < Requests; n++)
    unread.Add((await GetAsync($"/v1/messages?mailbox={mailbox.Id}&unread=true&limit=50")).Ms);
results.Add(("messages, unread=true, first page", unread));

var byContact = new List<double>();
for (var n = 0; n < Requests; n++)
    byContact.Add((await GetAsync($"/v1/messages?contact=c{rng.Next(0, Correspondents / 2)}&limit=50")).Ms);
results.Add(("messages, contact=ID (random contact), first page", byContact));

// 4. Timeline pages: random contacts, first page and (every other request) the second page, as ContactsBench.
var timeline = new List<double>();
for (var n = 0; n < Requests; n++)
{
    var id = $"c{rng.Next(0, Correspondents / 2)}";
    var path = $"/v1/contacts/{id}/timeline?limit=50";
    if (n % 2 == 1 && Next((await GetAsync(path)).Body) is { } next)
        path += "&cursor=" + Uri.EscapeDataString(next);
    var (ms, body) = await GetAsync(path);
    timeline.Add(ms);
    if (body.GetProperty("items").GetArrayLength() == 0)
        throw new InvalidOperationException("empty timeline page");
}
results.Add(("contact timeline, 50 entries (first and second pages)", timeline));

Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
Console.WriteLine("| request | p50 | p99 | max |");
Console.WriteLine("|---|---|---|---|");
foreach (var (name, ms) in results)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {P(ms, 50):F2} ms | {P(ms, 99):F2} ms | {ms.Max():F1} ms |"));

await app.StopAsync(ct);
await app.DisposeAsync();
Directory.Delete(dir, recursive: true);

static double P(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
}
