using System.Diagnostics;
using System.Globalization;
using Mailroom.Connectors.Auth;
using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;
using Mailroom.Server.Hosting;
using Mailroom.Server.Sync;
using Mailroom.Storage;
using Mailroom.TestSupport.Gmail;

// bench/gmail-api.sh: the messages of a Maildir (bench1's INBOX, 10,000 from ../shared/bench/corpus.py) synced twice
// in one process: over IMAP from the Dovecot that holds them (`mailroom sync`'s path: the sync runner), and through
// the Gmail API from the tests' fake serving the same raw messages. Then an unchanged incremental sync of each.
// Prints one JSON line per measurement and a summary.
//   GmailApiBench MAILDIR IMAP_PORT USER PASSWORD [QUOTA_UNITS_PER_SECOND]
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: GmailApiBench MAILDIR IMAP_PORT USER PASSWORD [QUOTA_UNITS_PER_SECOND]");
    return 2;
}
var ct = CancellationToken.None;
var maildir = args[0];
var files = Directory.GetFiles(Path.Combine(maildir, "cur")).Concat(Directory.GetFiles(Path.Combine(maildir, "new"))).Order(StringComparer.Ordinal).ToList();
var quota = args.Length > 4 ? args[4] : "1000000";

// The fake Gmail API: every message under INBOX, ids counting up from one X-GM-MSGID, one thread per message.
var gmail = new FakeGmailMailbox { EmailAddress = args[2] + "@bench.test" };
long rawBytes = 0;
for (var i = 0; i < files.Count; i++)
{
    var raw = await File.ReadAllBytesAsync(files[i], ct);
    rawBytes += raw.Length;
    var id = 0x1800000000000000UL + (ulong)i;
    gmail.Add(id, id, raw, new DateTimeOffset(File.GetLastWriteTimeUtc(files[i]), TimeSpan.Zero), "INBOX");
}
const string Token = "bench-access-token";
await using var api = await FakeGmailApi.StartAsync(gmail, (token, _) => Task.FromResult(token == Token), ct);
api.CheckSchemas = false; // the tests check the same answers; here the fake should cost as little as it can
Console.Error.WriteLine($"{files.Count:N0} messages, {rawBytes / 1e6:F1} MB; fake Gmail API at {api.Address}; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

async Task<(WebApplication App, MailboxRecord Mailbox)> StartAsync(string name, bool gmailApi)
{
    var data = Directory.CreateTempSubdirectory($"mailroom-gmail-bench-{name}-").FullName;
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["DataPath"] = data,
        ["Logging:LogLevel:Default"] = "Warning",
        ["Sync:Folders:0"] = "INBOX", // as bench/product-sync.sh --scope inbox: the harness's mailbox is INBOX
        ["Gmail:ApiBaseUrl"] = api.Address.ToString(),
        ["Gmail:QuotaUnitsPerSecond"] = quota,
        [$"OAuth:Providers:bench:ClientId"] = "bench",
        [$"OAuth:Providers:bench:TokenEndpoint"] = "http://127.0.0.1:9/token",
    }).Build();
    var app = MailroomWebApp.Build(configuration);
    await DatabaseInitializer.MigrateAsync(app.Services, ct);
    var accounts = app.Services.GetRequiredService<IAccountStore>();
    var org = await accounts.EnsureOrganizationAsync("bench", ct);
    MailboxRecord mailbox;
    if (gmailApi)
    {
        var tokens = app.Services.GetRequiredService<MailboxCredentials>().Protect(new OAuthTokens(Token, null, DateTimeOffset.UtcNow.AddDays(1)));
        mailbox = await accounts.AddOAuthMailboxAsync(org, "gmail", MailboxProtocol.GmailApi, new MailboxSettings
        {
            Host = api.Address.Host, Port = api.Address.Port, UserName = gmail.EmailAddress, Address = gmail.EmailAddress, OAuthProvider = "bench",
        }, tokens, ct);
    }
    else
    {
        var secret = app.Services.GetRequiredService<ISecretProtector>().Protect(SecretPurposes.MailboxPassword, args[3]);
        mailbox = await accounts.AddMailboxAsync(org, "imap", MailboxProtocol.Imap, new MailboxSettings
        {
            Host = "127.0.0.1", Port = int.Parse(args[1], CultureInfo.InvariantCulture), UserName = args[2],
            Security = TransportSecurity.None, AllowPlaintext = true,
        }, secret, ct);
    }
    return (app, mailbox);
}

var results = new Dictionary<string, double>();
foreach (var (name, gmailApi) in new[] { ("imap", false), ("gmail-api", true) })
{
    var (app, mailbox) = await StartAsync(name, gmailApi);
    var runner = app.Services.GetRequiredService<MailboxSyncRunner>();
    var requestsBefore = api.Requests;
    var sw = Stopwatch.StartNew();
    var first = await runner.RunAsync(mailbox, null, ct);
    var seconds = sw.Elapsed.TotalSeconds;
    var requests = api.Requests - requestsBefore;
    var rate = first.MessagesFetched / seconds;
    results[name] = rate;
    Console.WriteLine(FormattableString.Invariant(
        $$"""{"protocol": "{{name}}", "phase": "initial", "messages": {{first.MessagesFetched}}, "seconds": {{seconds:F2}}, "msg_per_s": {{rate:F0}}{{(gmailApi ? $", \"requests\": {requests}, \"requests_per_message\": {(double)requests / first.MessagesFetched:F4}" : "")}}}"""));

    sw.Restart();
    var unchanged = await runner.RunAsync(mailbox, null, ct);
    var counters = runner.LastCounters!;
    Console.WriteLine(FormattableString.Invariant(
        $$"""{"protocol": "{{name}}", "phase": "unchanged", "messages": {{unchanged.MessagesFetched}}, "seconds": {{sw.Elapsed.TotalSeconds:F3}}{{(gmailApi ? $", \"requests\": {counters.Requests}, \"response_bytes\": {counters.BytesReceived}" : "")}}}"""));
    await app.DisposeAsync();
}
Console.WriteLine(FormattableString.Invariant($"gmail-api / imap messages per second: {results["gmail-api"] / results["imap"]:F2}"));
return 0;
