using System.Diagnostics;
using System.Globalization;
using Mailroom.Bench.Shared;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Contacts;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Storage;
using Microsoft.Extensions.DependencyInjection;

// A 100,000-message SQLite store: 2,000 correspondents, each message from one to the mailbox owner with one Cc
// among them; 1,000 contacts exist before the messages (linked on ingest). Then: backfill of a new contact,
// timeline pages (p50/p99), and 1,000 more messages stored and linked.
const int Messages = 100_000;
const int Correspondents = BenchCorpus.Correspondents;
var ct = CancellationToken.None;
var dir = Directory.CreateTempSubdirectory("mailroom-contacts-bench-").FullName;
var services = new ServiceCollection().AddMailroomStorage(StorageOptions.ForDataFolder(dir)).BuildServiceProvider();
await DatabaseInitializer.MigrateAsync(services, ct);
var accounts = services.GetRequiredService<IAccountStore>();
var store = services.GetRequiredService<IMessageStore>();
var contacts = services.GetRequiredService<IContactStore>();
var org = await accounts.EnsureOrganizationAsync("bench", ct);
var mailbox = await accounts.AddMailboxAsync(org, "owner", MailboxProtocol.Imap, new MailboxSettings { Host = "h", Port = 993, UserName = BenchCorpus.Owner, Address = BenchCorpus.Owner }, "x", ct);
var inbox = await store.UpsertFolderAsync(mailbox.Id, new RemoteFolder("INBOX", '/', FolderRole.Inbox, true), ct);
for (var c = 0; c < Correspondents / 2; c++)
    await contacts.UpsertAsync(org, BenchCorpus.Contact(c), ct);

IngestedMessage Make(int i, string prefix = "person") => BenchCorpus.Message(i, MessageFlags.Seen, prefix);

var load = Stopwatch.StartNew();
for (var i = 0; i < Messages; i += 250)
    await store.SaveMessagesAsync(inbox.Id, [.. Enumerable.Range(i, 250).Select(n => Make(n))], ct);
Console.WriteLine($"store: {Messages:N0} messages with links to {Correspondents / 2:N0} contacts in {load.Elapsed.TotalSeconds:F1} s");

// Backfill: a new contact for an address in ~100 stored messages (50 as From, ~50 as Cc); 20 contacts, median and max.
var backfill = new List<double>();
for (var c = Correspondents / 2; c < Correspondents / 2 + 20; c++)
{
    var sw = Stopwatch.StartNew();
    var result = await contacts.UpsertAsync(org, BenchCorpus.Contact(c), ct);
    backfill.Add(sw.Elapsed.TotalMilliseconds);
    if (result.Links.Linked < 50)
        throw new InvalidOperationException($"backfill linked only {result.Links.Linked}");
}

Console.WriteLine($"backfill of a new contact (~100 of {Messages:N0} messages linked): p50 {P(backfill, 50):F1} ms, max {backfill.Max():F1} ms");

// Timeline pages: 50 entries, first page and pages deep in the contact's history, 500 requests over 100 contacts.
var pages = new List<double>();
var rng = new Random(42);
for (var n = 0; n < 500; n++)
{
    var id = $"c{rng.Next(0, Correspondents / 2)}";
    TimelineCursor? cursor = null;
    if (n % 2 == 1)
    {
        var first = await contacts.GetTimelineAsync(org, id, 50, null, ct);
        if (TimelineCursor.TryParse(first!.NextCursor, out var next))
            cursor = next;
    }

    var sw = Stopwatch.StartNew();
    var page = await contacts.GetTimelineAsync(org, id, 50, cursor, ct);
    pages.Add(sw.Elapsed.TotalMilliseconds);
    if (page!.Entries.Count == 0)
        throw new InvalidOperationException("empty page");
}

Console.WriteLine($"timeline page (50 entries, 100,000 messages): p50 {P(pages, 50):F2} ms, p99 {P(pages, 99):F2} ms");

// 1,000 new messages (4 batches of 250) into the 100,000-message mailbox, twice: once naming contacts (~1,500 links)
// and once naming addresses that are no contact. The difference is what linking costs; the rest is storing and threading.
var save = Stopwatch.StartNew();
for (var i = Messages; i < Messages + 1000; i += 250)
    await store.SaveMessagesAsync(inbox.Id, [.. Enumerable.Range(i, 250).Select(n => Make(n))], ct);
var withLinks = save.Elapsed.TotalMilliseconds;
save.Restart();
for (var i = Messages + 1000; i < Messages + 2000; i += 250)
    await store.SaveMessagesAsync(inbox.Id, [.. Enumerable.Range(i, 250).Select(n => Make(n, "stranger"))], ct);
var withoutLinks = save.Elapsed.TotalMilliseconds;
Console.WriteLine($"1,000 new messages into the 100,000-message mailbox: {withLinks:F0} ms naming contacts, {withoutLinks:F0} ms naming none; linking ~{withLinks - withoutLinks:F0} ms");

await services.DisposeAsync();
Directory.Delete(dir, recursive: true);

static double P(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
}
