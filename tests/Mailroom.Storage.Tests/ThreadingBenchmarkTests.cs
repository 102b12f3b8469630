using System.Diagnostics;
using System.Text;
using Mailroom.Core.Messages;
using Mailroom.Core.Storage;
using Mailroom.Core.Threading;
using Mailroom.Storage.Tests.Infrastructure;

namespace Mailroom.Storage.Tests;

/// <summary>
/// Threading benchmarks, run on demand (MAILROOM_THREADING_BENCH=1): 100,000 generated messages (conversations of
/// one to a few dozen messages with References chains, replies to missing messages, replies without references)
/// threaded from scratch in memory, then 1,000 more added to them; and the same 1,000 saved into a SQLite store that
/// already holds the 100,000 (MAILROOM_THREADING_BENCH=N stores N instead: filling SQLite through the ingest path takes
/// a while). Run in Release: <c>dotnet test -c Release --filter ThreadingBenchmarkTests</c>.
/// </summary>
public sealed class ThreadingBenchmarkTests
{
    private const string Variable = "MAILROOM_THREADING_BENCH";
    private const int Stored = 100_000;

    private static int StoredInSqlite =>
        int.TryParse(Environment.GetEnvironmentVariable(Variable), System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1000 ? n : Stored;
    private const int Added = 1_000;

    [Fact]
    public void In_memory_threading_of_100000_and_1000_more()
    {
        Require();
        var output = TestContext.Current.TestOutputHelper!;
        var messages = Generate(Stored + Added).Select((m, i) => ThreadableMessage.From(i + 1, m)).ToList();
        var rule = new SubjectRule(TimeSpan.FromDays(30), ["me@example.com"]);
        new MailboxThreads(rule).Add(messages[..2000]); // warm-up

        for (var run = 0; run < 3; run++)
        {
            var threads = new MailboxThreads(rule);
            var (scratch, scratchCpu) = Time(() => threads.Add(messages[..Stored]));
            var (more, moreCpu) = Time(() => threads.Add(messages[Stored..]));
            output.WriteLine($"in memory: {Stored:N0} from scratch {scratch:F0} ms (CPU {scratchCpu:F0} ms, {threads.ThreadCount:N0} threads); " +
                $"+{Added:N0} to {Stored:N0}: {more:F1} ms (CPU {moreCpu:F1} ms)");
        }
    }

    [Fact]
    public async Task Sqlite_saving_1000_into_a_100000_message_mailbox()
    {
        Require();
        var stored = StoredInSqlite;
        var output = TestContext.Current.TestOutputHelper!;
        var database = new SqliteTestDatabase();
        await database.InitializeAsync();
        try
        {
            var mailbox = await database.NewMailboxAsync();
            var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX");
            var generated = Generate(stored + (3 * Added));
            var ingested = generated.Select((m, i) => Ingest((uint)(i + 1), m)).ToList();

            var seed = Stopwatch.StartNew();
            foreach (var batch in ingested[..stored].Chunk(1000))
                await database.Messages.SaveMessagesAsync(inbox.Id, batch, TestContext.Current.CancellationToken);
            seed.Stop();
            output.WriteLine($"sqlite: stored {stored:N0} in batches of 1,000 in {seed.Elapsed.TotalSeconds:F1} s ({stored / seed.Elapsed.TotalSeconds:F0} msgs/s)");

            for (var run = 0; run < 3; run++)
            {
                using var process = Process.GetCurrentProcess();
                var cpu = process.TotalProcessorTime;
                var more = Stopwatch.StartNew();
                await database.Messages.SaveMessagesAsync(inbox.Id, ingested.Slice(stored + (run * Added), Added), TestContext.Current.CancellationToken);
                more.Stop();
                process.Refresh();
                output.WriteLine($"sqlite: +{Added:N0} to {stored + (run * Added):N0}, one SaveMessagesAsync (threading included): " +
                    $"{more.Elapsed.TotalMilliseconds:F0} ms (CPU {(process.TotalProcessorTime - cpu).TotalMilliseconds:F0} ms)");
            }

            var totals = await database.Inspector.GetTotalsAsync(mailbox.Id, TestContext.Current.CancellationToken);
            Assert.Equal(stored + (3 * Added), totals.Messages);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    /// <summary>Wall and CPU milliseconds: the shared machine's other work does not count in the second.</summary>
    private static (double Wall, double Cpu) Time(Action action)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        action();
        stopwatch.Stop();
        process.Refresh();
        return (stopwatch.Elapsed.TotalMilliseconds, (process.TotalProcessorTime - cpu).TotalMilliseconds);
    }

    private static void Require()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
            Assert.Skip($"{Variable} not set: the threading benchmark runs on demand.");
    }

    private static IngestedMessage Ingest(uint uid, NormalizedMessage message)
    {
        var raw = Encoding.UTF8.GetBytes($"Message-ID: <{message.MessageId}>\r\nSubject: {message.Subject}\r\n\r\n{message.TextBody}\r\n");
        return TestMessages.Ingest(uid, raw, message);
    }

    /// <summary>Conversations among 2,000 correspondents over two years; the newest messages come last.</summary>
    internal static List<NormalizedMessage> Generate(int count)
    {
        var random = new Random(42);
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var result = new List<NormalizedMessage>(count);
        var open = new List<NormalizedMessage>();
        for (var i = 0; i < count; i++)
        {
            var date = start.AddMinutes(i * 10);
            var person = new MessageAddress(null, $"p{random.Next(2000)}@example.org");
            var me = new MessageAddress(null, "me@example.com");
            NormalizedMessage message;
            if (open.Count < 50 || random.Next(100) < 22)
            {
                message = new NormalizedMessage
                {
                    MessageId = $"m{i}@bench.example", Subject = $"Application {random.Next(1_000_000)} for role {random.Next(500)}",
                    Date = date, From = [person], To = [me], TextBody = "Hello", Snippet = "Hello",
                };
                open.Add(message);
                if (open.Count > 3000)
                    open.RemoveAt(random.Next(open.Count));
            }
            else
            {
                var parent = open[random.Next(open.Count)];
                var roll = random.Next(100);
                List<string> references = roll < 90 ? [.. parent.References.TakeLast(20), parent.MessageId!] : roll < 95 ? [$"ghost{random.Next(5000)}@bench.example"] : [];
                message = new NormalizedMessage
                {
                    MessageId = $"m{i}@bench.example", InReplyTo = references.Count > 0 ? references[^1] : null, References = references,
                    Subject = "Re: " + SubjectNormalizer.Normalize(parent.Subject, out _), Date = date,
                    From = parent.To, To = parent.From, TextBody = "Reply", Snippet = "Reply",
                };
                open.Add(message);
            }

            result.Add(message);
        }

        return result;
    }
}
