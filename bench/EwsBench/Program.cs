using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;
using Mailroom.Server.Hosting;
using Mailroom.Server.Sync;
using Mailroom.Storage;
using Mailroom.TestSupport.Ews;

// bench/ews.sh: an EWS mailbox of N messages (a Maildir's files, or generated ones) served by the tests' fake EWS on
// https://127.0.0.1, synced by the real sync runner and SQLite store: the initial sync (messages/s, requests per
// message), then an unchanged sync (requests: one SyncFolderHierarchy and one SyncFolderItems per folder). One JSON
// line per measurement. New-mail latency on streaming notifications is measured by the EwsStreamingTests (each
// delivery stored within a second); a latency phase here hung in its first delivery and was left out (see the report).
//   EwsBench [MAILDIR|COUNT]
var ct = CancellationToken.None;
var source = args.Length > 0 ? args[0] : "10000";
var mailbox = new FakeEwsMailbox();
var inbox = mailbox.FolderId("inbox");
long rawBytes = 0;
var count = 0;
if (Directory.Exists(source))
{
    foreach (var file in Directory.GetFiles(Path.Combine(source, "cur")).Concat(Directory.GetFiles(Path.Combine(source, "new"))).Order(StringComparer.Ordinal))
    {
        var raw = await File.ReadAllBytesAsync(file, ct);
        rawBytes += raw.Length;
        mailbox.Deliver(inbox, raw, isRead: count++ % 3 != 0);
    }
}
else
{
    var body = string.Concat(Enumerable.Repeat("A line of an ordinary business message, long enough to be realistic.\r\n", 60));
    for (; count < int.Parse(source, CultureInfo.InvariantCulture); count++)
    {
        var raw = Encoding.ASCII.GetBytes(
            $"From: Sender {count % 97} <s{count % 97}@example.com>\r\nTo: bench@ews.test\r\nSubject: Message {count}\r\n" +
            $"Date: {new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(count):R}\r\nMessage-ID: <b{count}@example.com>\r\n" +
            $"Content-Type: text/plain; charset=us-ascii\r\n\r\n{body}");
        rawBytes += raw.Length;
        mailbox.Deliver(inbox, raw, isRead: count % 3 != 0);
    }
}
const string User = "bench", Password = "bench-password";
await using var server = await FakeEwsServer.StartAsync(mailbox, User, Password, ct);
server.CheckSchemas = false; // the tests hold the same answers to the schemas; here the fake should cost as little as it can
Console.Error.WriteLine($"{count:N0} messages, {rawBytes / 1e6:F1} MB; fake EWS at {server.Url}; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

var data = Directory.CreateTempSubdirectory("mailroom-ews-bench-").FullName;
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["DataPath"] = data,
    ["Logging:LogLevel:Default"] = "Warning",
}).Build();
await using var app = MailroomWebApp.Build(configuration);
await DatabaseInitializer.MigrateAsync(app.Services, ct);
var accounts = app.Services.GetRequiredService<IAccountStore>();
var secret = app.Services.GetRequiredService<ISecretProtector>().Protect(SecretPurposes.MailboxPassword, Password);
var record = await accounts.AddMailboxAsync(await accounts.EnsureOrganizationAsync("bench", ct), "ews", MailboxProtocol.Ews, new MailboxSettings
{
    Host = server.Url.Host, Port = server.Url.Port, UserName = User, ServiceUrl = server.Url, EwsAuthentication = EwsAuthentication.Basic,
    TrustedCaFile = FakeEwsServer.TestCa,
}, secret, ct);
var runner = app.Services.GetRequiredService<MailboxSyncRunner>();

var before = server.Operations.Count;
var sw = Stopwatch.StartNew();
var first = await runner.RunAsync(record, null, ct);
var seconds = sw.Elapsed.TotalSeconds;
var requests = server.Operations.Count - before;
Console.WriteLine(FormattableString.Invariant(
    $$"""{"phase": "initial", "messages": {{first.MessagesFetched}}, "seconds": {{seconds:F2}}, "msg_per_s": {{first.MessagesFetched / seconds:F0}}, "requests": {{requests}}, "requests_per_message": {{(double)requests / first.MessagesFetched:F4}}, "getitem": {{server.Operations.Skip(before).Count(o => o == "GetItem")}}}"""));

before = server.Operations.Count;
sw.Restart();
var unchanged = await runner.RunAsync(record, null, ct);
Console.WriteLine(FormattableString.Invariant(
    $$"""{"phase": "unchanged", "folders": {{unchanged.Folders}}, "messages": {{unchanged.MessagesFetched}}, "seconds": {{sw.Elapsed.TotalSeconds:F3}}, "requests": {{server.Operations.Count - before}}}"""));

return 0;
