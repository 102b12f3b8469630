using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Events;
using Mailroom.Core.Messages;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Server.Hosting;
using Mailroom.Server.Webhooks;
using Mailroom.Storage;

// Webhook delivery throughput: N messages are stored (one message.created event each, plus their thread events), one
// subscription takes message.created, and the real WebhookWorker (dispatch, claim, sign, POST, record) delivers them
// to a receiver on 127.0.0.1 in this process, which answers 204 at once. Measures events delivered per second and the
// CPU time of the process (receiver included).
// Usage: dotnet run -c Release --project bench/WebhookBench -- [EVENTS] [BATCH] [CONCURRENCY]   (MAILROOM_BENCH_PG=conn for PostgreSQL)
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
var batch = args.Length > 1 ? args[1] : "100";
var concurrency = args.Length > 2 ? args[2] : "16";
var pg = Environment.GetEnvironmentVariable("MAILROOM_BENCH_PG");
var ct = CancellationToken.None;
var data = Directory.CreateTempSubdirectory("mailroom-webhook-bench-").FullName;

var receiverBuilder = WebApplication.CreateSlimBuilder();
receiverBuilder.Logging.ClearProviders();
receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
var receiver = receiverBuilder.Build();
var received = 0;
string? sampleSignature = null;
byte[]? sampleBody = null;
receiver.MapPost("/hook", async (HttpContext context) =>
{
    using var body = new MemoryStream();
    await context.Request.Body.CopyToAsync(body);
    if (Interlocked.Increment(ref received) == 1)
    {
        sampleSignature = context.Request.Headers[WebhookSignature.Header];
        sampleBody = body.ToArray();
    }
    return Results.NoContent();
});
await receiver.StartAsync();
var receiverUrl = new Uri(new Uri(receiver.Urls.First()), "/hook");

var settings = new Dictionary<string, string?>
{
    ["DataPath"] = data,
    ["Webhooks:AllowedNetworks:0"] = "127.0.0.1/32",
    ["Webhooks:BatchSize"] = batch,
    ["Webhooks:Concurrency"] = concurrency,
};
if (pg is not null)
{
    var builder = new Npgsql.NpgsqlConnectionStringBuilder(pg) { Database = "mailroom_whbench_" + Guid.NewGuid().ToString("N")[..8] };
    settings["Storage:ConnectionString"] = builder.ConnectionString;
}
var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
var hostBuilder = Host.CreateApplicationBuilder();
hostBuilder.Logging.ClearProviders();
hostBuilder.Services.AddMailroom(configuration);
using var host = hostBuilder.Build();
var services = host.Services;
await DatabaseInitializer.MigrateAsync(services, ct);

var accounts = services.GetRequiredService<IAccountStore>();
var store = services.GetRequiredService<IMessageStore>();
var org = await accounts.EnsureOrganizationAsync("bench", ct);
var mailbox = await accounts.AddMailboxAsync(org, "owner", MailboxProtocol.Imap, new MailboxSettings { Host = "h", Port = 993, UserName = "owner@bench.example", Address = "owner@bench.example" }, "x", ct);
var inbox = await store.UpsertFolderAsync(mailbox.Id, new RemoteFolder("INBOX", '/', FolderRole.Inbox, true), ct);
const string Secret = "whsec_bench_secret_0123456789";
await services.GetRequiredService<IWebhookStore>().AddSubscriptionAsync(
    org, receiverUrl, services.GetRequiredService<ISecretProtector>().Protect(SecretPurposes.WebhookSecret, Secret), [EventTypes.MessageCreated], ct);

for (var start = 0; start < count; start += 250)
{
    var messages = Enumerable.Range(start, Math.Min(250, count - start)).Select(i =>
    {
        var raw = Encoding.ASCII.GetBytes(
            $"From: person{i % 500}@corp.example\r\nTo: owner@bench.example\r\nSubject: Message {i}\r\nDate: Wed, 04 Mar 2026 10:30:00 +0000\r\n" +
            $"Message-ID: <{i}@bench>\r\n\r\nBody {i}.\r\n");
        return IngestedMessage.Of(new FetchedMessage((uint)i + 1, MessageFlags.None, [], DateTimeOffset.UtcNow, raw), MessageNormalizer.Normalize(raw));
    }).ToList();
    await store.SaveMessagesAsync(inbox.Id, messages, ct);
}

var worker = services.GetRequiredService<WebhookWorker>();
using var process = Process.GetCurrentProcess();
var cpu = process.TotalProcessorTime;
var clock = Stopwatch.StartNew();
var passes = 0;
while (Volatile.Read(ref received) < count)
{
    await worker.PassAsync(ct);
    passes++;
}
var elapsed = clock.Elapsed;
process.Refresh();
var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;

var verified = WebhookSignature.Verify(Secret, sampleSignature, sampleBody, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{(pg is null ? "SQLite" : "PostgreSQL")}, batch {batch}, concurrency {concurrency}: {count} webhooks delivered in {elapsed.TotalSeconds:F2} s = " +
    $"{count / elapsed.TotalSeconds:F0} events/s ({passes} passes, process CPU {cpuSeconds:F2} s = {cpuSeconds * 1000 / count:F2} ms per delivery; first signature valid: {verified})"));

await receiver.StopAsync();
if (pg is not null)
{
    Npgsql.NpgsqlConnection.ClearAllPools();
    var admin = new Npgsql.NpgsqlConnectionStringBuilder(settings["Storage:ConnectionString"]) { Database = "postgres" };
    await using var connection = new Npgsql.NpgsqlConnection(admin.ConnectionString);
    await connection.OpenAsync();
    await using var drop = connection.CreateCommand();
    drop.CommandText = $"DROP DATABASE IF EXISTS \"{new Npgsql.NpgsqlConnectionStringBuilder(settings["Storage:ConnectionString"]).Database}\" WITH (FORCE)";
    await drop.ExecuteNonQueryAsync();
}
Directory.Delete(data, recursive: true);
