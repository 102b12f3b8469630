using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mailroom.Core.Connectors;
using Mailroom.Core.Messages;
using Mailroom.Core.Storage;
using Mailroom.Storage.Tests.Infrastructure;

namespace Mailroom.Storage.Tests;

/// <summary>
/// A throughput check of the hot path, run on demand (MAILROOM_STORAGE_BENCH=1, or a message count): synthetic
/// messages shaped roughly like the bench corpus (mean ~58 KB there): four in five are text only (a few KB), one in
/// five carries a 75-300 KB attachment of incompressible base64, for a mean of ~56 KB. Written in batches of 250, as
/// the sync engine does. Run it in Release: <c>dotnet test -c Release --filter SaveThroughputTests</c>.
/// </summary>
public sealed class SaveThroughputTests
{
    private const string Variable = "MAILROOM_STORAGE_BENCH";

    [Fact]
    public Task Sqlite_save_throughput() => MeasureAsync(new SqliteTestDatabase());

    [Fact]
    public Task Postgres_save_throughput() => MeasureAsync(new PostgresTestDatabase());

    private static async Task MeasureAsync(TestDatabase database)
    {
        var setting = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(setting))
            Assert.Skip($"{Variable} not set: the throughput check runs on demand.");
        var count = int.TryParse(setting, CultureInfo.InvariantCulture, out var n) && n > 1 ? n : 5000;

        await database.InitializeAsync();
        try
        {
            var mailbox = await database.NewMailboxAsync();
            var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX");
            var messages = Generate(count);
            var bytes = messages.Sum(m => (long)m.Fetched.Raw.Length);

            var first = await TimeAsync(() => SaveAllAsync(database.Messages, inbox.Id, messages, 250));
            var again = await TimeAsync(() => SaveAllAsync(database.Messages, inbox.Id, messages, 250));
            var other = await database.NewFolderAsync(mailbox.Id, "Archive");
            var small = await TimeAsync(() => SaveAllAsync(database.Messages, other.Id, messages, 10));

            var totals = await database.Inspector.GetTotalsAsync(mailbox.Id, TestContext.Current.CancellationToken);
            Assert.Equal((count, count * 2L, count), (totals.Messages, totals.Memberships, totals.RawMime));
            var output = TestContext.Current.TestOutputHelper!;
            output.WriteLine($"{database.GetType().Name}: {count} messages, {bytes / 1e6:F1} MB (mean {bytes / count / 1024.0:F1} KB)");
            output.WriteLine($"  new, batches of 250:          {Rate(first, count)}, {bytes / 1e6 / first.TotalSeconds:F0} MB/s");
            output.WriteLine($"  same batches again (no-op):   {Rate(again, count)}");
            output.WriteLine($"  second folder, batches of 10: {Rate(small, count)} (memberships only)");
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    private static string Rate((double TotalSeconds, double CpuSeconds) time, int count) =>
        $"{time.TotalSeconds:F2} s = {count / time.TotalSeconds:F0} msgs/s (client CPU {time.CpuSeconds:F2} s)";

    private static async Task SaveAllAsync(IMessageStore store, long folderId, List<IngestedMessage> messages, int batchSize)
    {
        foreach (var batch in messages.Chunk(batchSize))
            await store.SaveMessagesAsync(folderId, batch, TestContext.Current.CancellationToken);
    }

    /// <summary>Wall time, and the CPU time of this process (the other work on a shared machine does not count there).</summary>
    private static async Task<(double TotalSeconds, double CpuSeconds)> TimeAsync(Func<Task> action)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        await action();
        process.Refresh();
        return (stopwatch.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    private static List<IngestedMessage> Generate(int count)
    {
        var random = new Random(42);
        var words = new[] { "interview", "offer", "candidate", "schedule", "the", "and", "meeting", "thanks", "resume", "position" };
        var result = new List<IngestedMessage>(count);
        for (var i = 0; i < count; i++)
        {
            var text = new StringBuilder();
            var textLength = random.Next(1_000, 6_000);
            while (text.Length < textLength)
                text.Append(words[random.Next(words.Length)]).Append(' ');
            var body = text.ToString();
            var html = $"<html><body><p>{body}</p></body></html>";
            // One message in five carries an attachment: ~220 KB of base64 on average, the rest is text only.
            var attachment = random.Next(5) == 0 ? new byte[random.Next(75_000, 300_000)] : [];
            random.NextBytes(attachment);
            var raw = Encoding.ASCII.GetBytes(
                $"From: Recruiter <r{i % 50}@example.com>\r\nTo: c{i}@example.org\r\nSubject: Message {i}\r\n" +
                $"Message-ID: <bench-{i}@example.com>\r\nDate: Wed, 04 Mar 2026 10:30:00 +0200\r\n\r\n{body}\r\n{html}\r\n" +
                Convert.ToBase64String(attachment, Base64FormattingOptions.InsertLineBreaks));
            var message = new NormalizedMessage
            {
                MessageId = $"bench-{i}@example.com",
                Subject = $"Message {i}",
                Date = TestMessages.Date.AddMinutes(i),
                From = [new MessageAddress("Recruiter", $"r{i % 50}@example.com")],
                To = [new MessageAddress(null, $"c{i}@example.org")],
                Cc = [new MessageAddress(null, "team@example.com")],
                TextBody = body,
                HtmlBody = html,
                Snippet = body[..200],
                Attachments = attachment.Length == 0 ? [] : [new AttachmentInfo("cv.pdf", "application/pdf", attachment.Length, null, false, "2")],
            };
            result.Add(TestMessages.Ingest((uint)(i + 1), raw, message, MessageFlags.Seen));
        }

        return result;
    }
}
