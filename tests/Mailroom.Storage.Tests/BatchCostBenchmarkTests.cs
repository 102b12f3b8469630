using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mailroom.Core.Contacts;
using Mailroom.Core.Messages;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Storage.Tests;

/// <summary>
/// Whether the cost of one stored batch stays flat as the mailbox grows, run on demand (MAILROOM_BATCH_BENCH=1, or
/// the number of messages to store): the ingest path of a first sync (batches of 250, newest first) with everything
/// that grows with the store switched on: threading by keys and by subject (one message in ten carries one of five
/// subjects that recur thousands of times, as newsletters and notifications do), contact links (300 contacts among 2,000
/// correspondents), events and the search index. Each batch's wall and CPU time is recorded; the medians of the batches
/// stored at about 10,000 and at about 90,000 messages are compared. CPU time is the process's (the machine is shared);
/// a cost that grew with the store would show up nine-fold. Run in Release:
/// <c>dotnet test -c Release --filter BatchCostBenchmarkTests</c>.
/// </summary>
public sealed class BatchCostBenchmarkTests
{
    private const string Variable = "MAILROOM_BATCH_BENCH";
    private const int BatchSize = 250;
    private const int Window = 10; // batches per measured point

    private static readonly string[] Recurring =
        ["Team offsite agenda", "Security audit findings", "Weekly metrics", "Your order has shipped", "Build failed on main"];

    [Fact]
    public Task Sqlite_batch_cost_at_10000_and_90000_stored() => MeasureAsync(new SqliteTestDatabase());

    [Fact]
    public Task Postgres_batch_cost_at_10000_and_90000_stored() => MeasureAsync(new PostgresTestDatabase());

    private static async Task MeasureAsync(TestDatabase database)
    {
        var setting = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(setting))
            Assert.Skip($"{Variable} not set: the batch-cost benchmark runs on demand.");
        var total = int.TryParse(setting, CultureInfo.InvariantCulture, out var n) && n >= 20_000 ? n : 92_500;
        var late = total - (Window * BatchSize); // the last window starts here: 90,000 of the default 92,500
        var output = TestContext.Current.TestOutputHelper!;
        var ct = TestContext.Current.CancellationToken;

        await database.InitializeAsync();
        try
        {
            var mailbox = await database.NewMailboxAsync();
            var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox);
            var contacts = database.Services.GetRequiredService<IContactStore>();
            for (var i = 0; i < 300; i++)
                await contacts.UpsertAsync(mailbox.OrganizationId, new ContactInput($"c{i}", $"Person {i}", [$"p{i}@example.org"]), ct);

            var messages = Generate(total);
            var batches = messages.OrderByDescending(m => m.Message.Date).Chunk(BatchSize).ToList();
            var times = new List<(int Stored, double Wall, double Cpu)>(batches.Count);
            using var process = Process.GetCurrentProcess();
            var stored = 0;
            foreach (var batch in batches)
            {
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                var wall = Stopwatch.StartNew();
                await database.Messages.SaveMessagesAsync(inbox.Id, batch, ct);
                wall.Stop();
                process.Refresh();
                times.Add((stored, wall.Elapsed.TotalMilliseconds, (process.TotalProcessorTime - cpu).TotalMilliseconds));
                stored += batch.Length;
            }

            Assert.Equal(total, (await database.Inspector.GetTotalsAsync(mailbox.Id, ct)).Messages);
            output.WriteLine($"{database.GetType().Name}: {total:N0} messages in batches of {BatchSize}; per batch, median of {Window} batches:");
            for (var from = 0; from + (Window * BatchSize) <= total; from += 10_000)
                output.WriteLine($"  at {from,7:N0} stored: {Point(times, from)}");
            if (late % 10_000 != 0)
                output.WriteLine($"  at {late,7:N0} stored: {Point(times, late)}");

            var early = Median(times, 10_000, t => t.Cpu);
            var lateCpu = Median(times, late, t => t.Cpu);
            output.WriteLine($"  CPU at {late:N0} / at 10,000: {lateCpu / early:F2}");
            // Flat: a look-up that grew with the store would be ~9x here; GC and noise stay well inside 2x.
            Assert.True(lateCpu < 2 * early, $"per-batch CPU {lateCpu:F0} ms at {late:N0} stored against {early:F0} ms at 10,000");
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    private static string Point(List<(int Stored, double Wall, double Cpu)> times, int from) =>
        $"wall {Median(times, from, t => t.Wall),6:F1} ms, CPU {Median(times, from, t => t.Cpu),6:F1} ms";

    private static double Median(List<(int Stored, double Wall, double Cpu)> times, int from, Func<(int Stored, double Wall, double Cpu), double> value)
    {
        var window = times.Where(t => t.Stored >= from).Take(Window).Select(value).Order().ToList();
        return window[window.Count / 2];
    }

    /// <summary>The threading benchmark's conversations, with one message in ten given a recurring subject.</summary>
    private static List<IngestedMessage> Generate(int count)
    {
        var random = new Random(7);
        var result = new List<IngestedMessage>(count);
        foreach (var (message, i) in ThreadingBenchmarkTests.Generate(count).Select((m, i) => (m, i)))
        {
            var m = message;
            if (random.Next(10) == 0)
            {
                var subject = Recurring[random.Next(Recurring.Length)];
                m = m with { Subject = m.InReplyTo is null ? subject : "Re: " + subject };
            }

            var raw = Encoding.UTF8.GetBytes(
                $"Message-ID: <{m.MessageId}>\r\nFrom: {m.From[0].Address}\r\nTo: {m.To[0].Address}\r\nSubject: {m.Subject}\r\n\r\n{m.TextBody}\r\n");
            result.Add(TestMessages.Ingest((uint)(i + 1), raw, m));
        }

        return result;
    }
}
