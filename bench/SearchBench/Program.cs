using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mailroom.Bench.Search;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Server.Hosting;
using Mailroom.Storage;
using Mailroom.Storage.Model;
using Mailroom.Storage.Stores;
using Microsoft.EntityFrameworkCore;
using Npgsql;

// bench/search.sh runs this once per database: SearchBench sqlite | SearchBench postgres (server in MAILROOM_TEST_PG).
// 1. Stores the generated mailbox (SearchCorpus) into a fresh database with the full-text index turned off, then into
//    another fresh one with it on: the difference is what indexing adds to storing a full sync's messages.
// 2. Index size against the whole database.
// 3. GET /v1/search through the real web app (the one `serve` runs) on Kestrel at 127.0.0.1, one request at a time,
//    p50/p99 per kind of query.
var provider = args.Length > 0 ? args[0] : "sqlite";
var messages = Env("SEARCH_BENCH_MESSAGES", 100_000);
var baseline = Math.Min(Env("SEARCH_BENCH_BASELINE", 30_000), messages);
var requests = Env("SEARCH_BENCH_REQUESTS", 300);
const int Batch = 250;
var ct = CancellationToken.None;
long payload = 0;
Console.WriteLine($"SearchBench {provider}: {messages:N0} messages, baseline {baseline:N0}, {requests} requests per query kind; " +
    $"{Environment.ProcessorCount} cores, load average {LoadAverage()}");

// The C# half of indexing alone (tokenizing, folding, CJK pairs), single-threaded, for the breakdown.
var sample = Enumerable.Range(0, Math.Min(messages, 5_000)).Select(i => SearchCorpus.Message(i).Message).ToList();
foreach (var m in sample.Take(200))
    Mailroom.Core.Search.SearchDocument.Of(m); // JIT
var tokenize = Stopwatch.StartNew();
foreach (var m in sample)
    Mailroom.Core.Search.SearchDocument.Of(m);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"tokenizing: {tokenize.Elapsed.TotalMilliseconds / sample.Count * 1000:F0} µs per message (C# only, {sample.Count:N0} messages)"));

// Warm-up (JIT, connection pools) into a throwaway database, so that neither measured load pays for it.
{
    var (warm, dropWarm) = await NewDatabaseAsync(provider);
    await LoadAsync(warm, null, Math.Min(messages, 2_000), 0);
    await dropWarm();
}

// Both stores are filled batch by batch in alternation (which one goes first alternates too), so the two see the same
// machine: on a shared 2-core host the load changes by the minute, and two loads one after the other would compare
// the load, not the index. After the baseline's count, the indexed store goes on alone.
var (indexed, dropIndexed) = await NewDatabaseAsync(provider);
StorageOptions? plain = null;
Func<Task>? dropBaseline = null;
if (baseline > 0)
{
    (plain, dropBaseline) = await NewDatabaseAsync(provider);
    plain.WriteSearchIndex = false;
}

var (with, withFirst, without) = await LoadAsync(indexed, plain, messages, baseline);
Console.WriteLine($"store with index:    {messages:N0} messages in {with.TotalSeconds:F1} s");
if (baseline > 0)
{
    Console.WriteLine($"first {baseline:N0}: without index {without.TotalSeconds:F1} s, with index {withFirst.TotalSeconds:F1} s (interleaved)");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT indexing_extra_percent {(withFirst - without) / without * 100:F1}"));
}

long? baselineBytes = plain is null ? null : (await SizesAsync(plain)).Total;
var (indexBytes, totalBytes) = await SizesAsync(indexed);
if (dropBaseline is not null)
    await dropBaseline();
// SQLite (without the dbstat table in this build) measures the index as the file's growth over the same messages stored without it.
if (indexBytes < 0 && baselineBytes is { } b && baseline == messages)
    indexBytes = totalBytes - b;
else if (indexBytes < 0)
    indexBytes = payload;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT index_bytes {indexBytes} database_bytes {totalBytes} share_percent {100.0 * indexBytes / totalBytes:F1} bytes_per_message {indexBytes / messages}"));

await MeasureQueriesAsync(indexed, messages);
await dropIndexed();
Console.WriteLine($"load average after: {LoadAverage()}");
return;

async Task<(TimeSpan With, TimeSpan WithFirst, TimeSpan Without)> LoadAsync(StorageOptions options, StorageOptions? plainOptions, int count, int first)
{
    var withStore = await OpenStoreAsync(options);
    var withoutStore = plainOptions is null ? default : await OpenStoreAsync(plainOptions);
    try
    {
        var withWatch = new Stopwatch();
        var withoutWatch = new Stopwatch();
        var withFirst = TimeSpan.Zero;
        for (var i = 0; i < count; i += Batch)
        {
            // Generated before the clocks start: the corpus is not what is measured.
            var batch = Enumerable.Range(i, Math.Min(Batch, count - i)).Select(SearchCorpus.Message).ToList();
            var pair = i < first && withoutStore.Services is not null;
            if (pair && i / Batch % 2 == 1)
                await TimedAsync(withoutStore, batch, withoutWatch);
            await TimedAsync(withStore, batch, withWatch);
            if (pair && i / Batch % 2 == 0)
                await TimedAsync(withoutStore, batch, withoutWatch);
            if (i + Batch >= first && withFirst == TimeSpan.Zero)
                withFirst = withWatch.Elapsed;
        }

        return (withWatch.Elapsed, withFirst, withoutWatch.Elapsed);
    }
    finally
    {
        await withStore.Services.DisposeAsync();
        if (withoutStore.Services is not null)
            await withoutStore.Services.DisposeAsync();
    }
}

static async Task TimedAsync((ServiceProvider Services, IMessageStore Store, long Folder) target, List<IngestedMessage> batch, Stopwatch watch)
{
    watch.Start();
    await target.Store.SaveMessagesAsync(target.Folder, batch, CancellationToken.None);
    watch.Stop();
}

async Task<(ServiceProvider Services, IMessageStore Store, long Folder)> OpenStoreAsync(StorageOptions options)
{
    var services = (ServiceProvider)new DefaultServiceProviderFactory().CreateServiceProvider(new ServiceCollection().AddMailroomStorage(options));
    await DatabaseInitializer.MigrateAsync(services, ct);
    var accounts = services.GetRequiredService<IAccountStore>();
    var store = services.GetRequiredService<IMessageStore>();
    var org = await accounts.EnsureOrganizationAsync("bench", ct);
    var mailbox = await accounts.AddMailboxAsync(org, "owner", MailboxProtocol.Imap,
        new MailboxSettings { Host = "127.0.0.1", Port = 1, UserName = SearchCorpus.Owner, Address = SearchCorpus.Owner }, "x", ct);
    await accounts.SetMailboxPausedAsync(mailbox.Id, true, ct);
    var inbox = await store.UpsertFolderAsync(mailbox.Id, new RemoteFolder("INBOX", '/', FolderRole.Inbox, true), ct);
    return (services, store, inbox.Id);
}

async Task<(long Index, long Total)> SizesAsync(StorageOptions options)
{
    payload = 0;
    await using var db = new MailroomContextFactory(options).Create();
    await db.Database.OpenConnectionAsync(ct);
    await using var command = db.Database.GetDbConnection().CreateCommand();
    if (options.Provider == StorageProvider.Postgres)
    {
        command.CommandText = "VACUUM ANALYZE";
        await command.ExecuteNonQueryAsync(ct);
        command.CommandText = "SELECT pg_relation_size('message_search'), " +
            "pg_total_relation_size((SELECT reltoastrelid FROM pg_class WHERE relname = 'message_search')), " +
            "pg_relation_size('ix_message_search_document'), pg_relation_size('ix_message_search_mailbox_id_date'), pg_relation_size('message_search_pkey')";
        await using (var parts = await command.ExecuteReaderAsync(ct))
        {
            await parts.ReadAsync(ct);
            Console.WriteLine($"postgresql: table {parts.GetInt64(0):N0}, vectors (TOAST) {parts.GetInt64(1):N0}, GIN {parts.GetInt64(2):N0}, " +
                $"date index {parts.GetInt64(3):N0}, primary key {parts.GetInt64(4):N0} bytes");
        }

        command.CommandText = "SELECT pg_total_relation_size('message_search'), pg_database_size(current_database())";
    }
    else
    {
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await command.ExecuteNonQueryAsync(ct);
        command.CommandText = "SELECT -1, (SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()), " +
            "(SELECT coalesce(sum(length(block)), 0) FROM message_search_data) + (SELECT coalesce(sum(length(sz)), 0) FROM message_search_docsize)";
    }

    await using var reader = await command.ExecuteReaderAsync(ct);
    await reader.ReadAsync(ct);
    if (reader.FieldCount > 2)
        payload = reader.GetInt64(2);
    if (reader.FieldCount > 2)
        Console.WriteLine($"sqlite: FTS5 payload (segment blocks + document sizes) {reader.GetInt64(2):N0} bytes, file {reader.GetInt64(1):N0} bytes");
    return (reader.GetInt64(0), reader.GetInt64(1));
}

async Task MeasureQueriesAsync(StorageOptions options, int count)
{
    var settings = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" };
    if (options.Provider == StorageProvider.Postgres)
    {
        settings["DataPath"] = Directory.CreateTempSubdirectory("mailroom-search-bench-pg-").FullName;
        settings["Storage:ConnectionString"] = options.ConnectionString;
    }
    else
    {
        settings["DataPath"] = Path.GetDirectoryName(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(options.ConnectionString).DataSource);
    }

    var app = MailroomWebApp.Build(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), b => b.WebHost.UseUrls("http://127.0.0.1:0"));
    var org = await app.Services.GetRequiredService<IAccountStore>().EnsureOrganizationAsync("bench", ct);
    var (_, key) = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(org, "bench", ct);
    await app.StartAsync(ct);
    using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

    async Task<(double Ms, int Items)> SearchAsync(string q)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync("/v1/search?limit=50&q=" + Uri.EscapeDataString(q), ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        var ms = watch.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{q}: {(int)response.StatusCode} {Encoding.UTF8.GetString(bytes)}");
        return (ms, JsonDocument.Parse(bytes).RootElement.GetProperty("items").GetArrayLength());
    }

    // Words by how many messages hold them: rank 20 (~a third of all messages), rank 300 (~3 %), rank 5,000 (~0.2 %).
    string Word(int rank, int n) => SearchCorpus.Words[rank + (n % 20)];
    var random = new Random(42);
    var kinds = new List<(string Name, Func<int, string> Query)>
    {
        ("word, rare (ranks 5,000-5,019)", n => Word(5_000, n)),
        ("word, medium (ranks 300-319)", n => Word(300, n)),
        ("word, common (ranks 20-39)", n => Word(20, n)),
        ("phrase (2 adjacent words of a random message)", _ => SearchCorpus.Phrase(random.Next(count))),
        ("from: + word (random sender, medium word)", n => $"from:{SearchCorpus.From(random.Next(count))} {Word(300, n)}"),
        ("from: + word (random sender, common word)", n => $"from:{SearchCorpus.From(random.Next(count))} {Word(20, n)}"),
    };
    for (var n = 0; n < 30; n++)
    {
        foreach (var (_, query) in kinds)
            await SearchAsync(query(n));
    }

    Console.WriteLine($"queries start; load average {LoadAverage()}");
    Console.WriteLine("| query (limit 50) | p50 | p99 | max | mean hits on page 1 |");
    Console.WriteLine("|---|---|---|---|---|");
    foreach (var (name, query) in kinds)
    {
        var times = new List<double>();
        long hits = 0;
        for (var n = 0; n < requests; n++)
        {
            var (ms, items) = await SearchAsync(query(n));
            times.Add(ms);
            hits += items;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {P(times, 50):F2} ms | {P(times, 99):F2} ms | {times.Max():F1} ms | {(double)hits / requests:F1} |"));
    }

    await app.StopAsync(ct);
    await app.DisposeAsync();
    if (options.Provider == StorageProvider.Postgres)
        Directory.Delete(settings["DataPath"]!, recursive: true);
}

async Task<(StorageOptions Options, Func<Task> Drop)> NewDatabaseAsync(string kind)
{
    if (kind == "sqlite")
    {
        var dir = Directory.CreateTempSubdirectory("mailroom-search-bench-").FullName;
        return (StorageOptions.ForDataFolder(dir), () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
            return Task.CompletedTask;
        });
    }

    var server = Environment.GetEnvironmentVariable("MAILROOM_TEST_PG")
        ?? throw new InvalidOperationException("MAILROOM_TEST_PG (a PostgreSQL role with CREATEDB) is not set.");
    var name = "mailroom_search_bench_" + Guid.NewGuid().ToString("N")[..12];
    await Execute(server, $"CREATE DATABASE {name}");
    var options = StorageOptions.ForPostgres(new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString());
    return (options, async () =>
    {
        NpgsqlConnection.ClearAllPools();
        await Execute(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    });
}

static async Task Execute(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

static int Env(string name, int fallback) =>
    int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;

static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

static double P(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
}
