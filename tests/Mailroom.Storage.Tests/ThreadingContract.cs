using System.Text;
using Mailroom.Core.Connectors;
using Mailroom.Core.Events;
using Mailroom.Core.Messages;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Core.Threading;
using Mailroom.Storage.Queries;
using Mailroom.Storage.Model;
using Mailroom.Storage.Stores;
using Mailroom.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Storage.Tests;

/// <summary>Threading on save: the store keeps threads as <see cref="MailboxThreads"/> does, run on each provider.</summary>
public abstract class ThreadingContract<TDatabase>(TDatabase database)
    where TDatabase : TestDatabase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IMessageStore Store => database.Messages;

    private StoreInspector Inspector => database.Inspector;

    [Fact]
    public async Task Late_parent_merges_the_threads_below_it()
    {
        var mailbox = await database.NewMailboxAsync();
        var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox);
        // Two replies to a message not stored yet, and a reply to one of them, each arriving alone first.
        await Store.SaveMessagesAsync(inbox.Id, [Mail(1, "b@x", "Re: Offer", parents: ["a@x"], minutes: 10)], Ct);
        await Store.SaveMessagesAsync(inbox.Id, [Mail(2, "c@x", "Re: Offer", parents: ["root@x", "a2@x"], minutes: 20)], Ct);
        await Store.SaveMessagesAsync(inbox.Id, [Mail(3, "d@x", "Re: Offer", parents: ["a@x", "b@x"], minutes: 30)], Ct);
        Assert.Equal(2, (await Inspector.ListThreadsAsync(mailbox.Id, 100, Ct)).Count);

        // a@x names root@x: it joins the thread of b and d, and through root@x the thread of c.
        await Store.SaveMessagesAsync(inbox.Id, [Mail(4, "a@x", "Offer", parents: ["root@x"])], Ct);

        var thread = Assert.Single(await Inspector.ListThreadsAsync(mailbox.Id, 100, Ct));
        Assert.Equal(4, thread.MessageCount);
        Assert.Equal("Offer", thread.Subject);
        var messages = await Inspector.ListThreadMessagesAsync(thread.Id, Ct);
        Assert.Equal(["a@x", "b@x", "c@x", "d@x"], messages.Select(m => m.MessageIdHeader).Order());
        Assert.All(messages, m => Assert.Equal(ThreadReason.Reference, m.Reason));
    }

    [Fact]
    public async Task Saving_again_changes_no_thread()
    {
        var mailbox = await database.NewMailboxAsync();
        var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox);
        var batch = new List<IngestedMessage>
        {
            Mail(1, "a@x", "Offer letter"), Mail(2, "b@x", "Re: Offer letter", parents: ["a@x"]),
            Mail(3, "c@x", "Relocation"), Mail(4, "d@x", "Re: Relocation", minutes: 60),
        };
        await Store.SaveMessagesAsync(inbox.Id, batch, Ct);
        var before = await SnapshotAsync(mailbox.Id);

        await Store.SaveMessagesAsync(inbox.Id, batch, Ct);
        await Store.SaveMessagesAsync(inbox.Id, [batch[1], batch[3]], Ct);

        Assert.Equal(before, await SnapshotAsync(mailbox.Id));
        Assert.Contains("Reference", before, StringComparison.Ordinal);
        Assert.Contains("Subject", before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inbox_and_sent_copies_are_one_conversation()
    {
        var mailbox = await database.NewMailboxAsync();
        var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox);
        var sent = await database.NewFolderAsync(mailbox.Id, "Sent", FolderRole.Sent);
        var question = Mail(1, "q@x", "Interview slot", from: "candidate@example.org", to: "me@example.com");
        var answer = Mail(1, "r@x", "Re: Interview slot", parents: ["q@x"], from: "me@example.com", to: "candidate@example.org", minutes: 5);
        await Store.SaveMessagesAsync(sent.Id, [answer], Ct);
        await Store.SaveMessagesAsync(inbox.Id, [question, answer.InFolder(2)], Ct);

        var thread = Assert.Single(await Inspector.ListThreadsAsync(mailbox.Id, 100, Ct));
        var messages = await Inspector.ListThreadMessagesAsync(thread.Id, Ct);
        Assert.Equal(2, thread.MessageCount);
        Assert.Equal([("q@x", ThreadReason.Root, "INBOX"), ("r@x", ThreadReason.Reference, "INBOX,Sent")],
            messages.Select(m => (m.MessageIdHeader, m.Reason!.Value, string.Join(",", m.Folders))));
    }

    [Fact]
    public async Task Provider_thread_ids_win_and_subject_rule_is_guarded_on_save()
    {
        var mailbox = await database.NewMailboxAsync();
        var all = await database.NewFolderAsync(mailbox.Id, "[Gmail]/All Mail", FolderRole.All);
        var gmail1 = Mail(1, "g1@x", "Budget", thread: "1700");
        var gmail2 = Mail(2, "g2@x", "Re: Budget", parents: ["g1@x"], thread: "1701"); // Gmail split it off: it stays apart
        var gmail3 = Mail(3, "g3@x", "Budget v2", thread: "1700");
        await Store.SaveMessagesAsync(all.Id, [gmail1, gmail2], Ct);
        await Store.SaveMessagesAsync(all.Id, [gmail3], Ct);

        var g1 = await Inspector.FindThreadAsync(mailbox.Id, "g1@x", Ct);
        Assert.NotEqual(g1, await Inspector.FindThreadAsync(mailbox.Id, "g2@x", Ct));
        Assert.Equal(g1, await Inspector.FindThreadAsync(mailbox.Id, "g3@x", Ct));
        var reasons = (await Inspector.ListThreadMessagesAsync(g1!.Value, Ct)).Select(m => m.Reason);
        Assert.Equal([ThreadReason.Root, ThreadReason.ProviderId], reasons);

        var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox);
        await Store.SaveMessagesAsync(inbox.Id, [Mail(10, "s1@x", "Contract draft", from: "hr@example.org")], Ct);
        await Store.SaveMessagesAsync(inbox.Id, [
            Mail(11, "s2@x", "AW: Contract draft", from: "hr@example.org", minutes: 90),       // joins by subject
            Mail(12, "s3@x", "Re: Contract draft", from: "other@example.org", to: "x@example.org"), // nobody shared
            Mail(13, "s4@x", "Re: Contract draft", from: "hr@example.org", minutes: 60 * 24 * 40), // outside the window
        ], Ct);
        var s1 = await Inspector.FindThreadAsync(mailbox.Id, "s1@x", Ct);
        Assert.Equal(s1, await Inspector.FindThreadAsync(mailbox.Id, "s2@x", Ct));
        Assert.NotEqual(s1, await Inspector.FindThreadAsync(mailbox.Id, "s3@x", Ct));
        Assert.NotEqual(s1, await Inspector.FindThreadAsync(mailbox.Id, "s4@x", Ct));
        Assert.Equal(ThreadReason.Subject, (await Inspector.ListThreadMessagesAsync(s1!.Value, Ct))[1].Reason);
    }

    [Fact]
    public async Task A_message_that_joined_by_subject_stays_subject_when_replies_follow_it()
    {
        var mailbox = await database.NewMailboxAsync();
        var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox);
        await Store.SaveMessagesAsync(inbox.Id, [Mail(1, "r1@x", "Contract draft", from: "hr@example.org")], Ct);
        // r2 drops the references but keeps the subject; r3 and r4 answer r2 properly, in the same batch.
        await Store.SaveMessagesAsync(inbox.Id, [
            Mail(2, "r2@x", "AW: Contract draft", from: "hr@example.org", minutes: 60),
            Mail(3, "r3@x", "Re: AW: Contract draft", parents: ["r2@x"], from: "ann@example.org", minutes: 70),
        ], Ct);
        await Store.SaveMessagesAsync(inbox.Id, [Mail(4, "r4@x", "Re: AW: Contract draft", parents: ["r2@x", "r3@x"], minutes: 80)], Ct);

        var thread = Assert.Single(await Inspector.ListThreadsAsync(mailbox.Id, 100, Ct));
        var reasons = (await Inspector.ListThreadMessagesAsync(thread.Id, Ct)).ToDictionary(m => m.MessageIdHeader!, m => m.Reason);
        Assert.Equal(ThreadReason.Root, reasons["r1@x"]);
        Assert.Equal(ThreadReason.Subject, reasons["r2@x"]);
        Assert.Equal(ThreadReason.Reference, reasons["r3@x"]);
        Assert.Equal(ThreadReason.Reference, reasons["r4@x"]);
    }

    [Fact]
    public async Task A_new_message_that_joins_a_later_stored_one_by_subject_records_the_join()
    {
        var mailbox = await database.NewMailboxAsync();
        var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox);
        // The later message is stored first (its reason is written then); the older one arrives afterwards.
        await Store.SaveMessagesAsync(inbox.Id, [Mail(1, "late@x", "Re: Relocation package", from: "hr@example.org", minutes: 600)], Ct);
        await Store.SaveMessagesAsync(inbox.Id, [Mail(2, "early@x", "Relocation package", from: "hr@example.org")], Ct);

        var thread = Assert.Single(await Inspector.ListThreadsAsync(mailbox.Id, 100, Ct));
        var reasons = (await Inspector.ListThreadMessagesAsync(thread.Id, Ct)).Select(m => (m.MessageIdHeader, m.Reason));
        Assert.Equal([("early@x", ThreadReason.Subject), ("late@x", ThreadReason.Root)], reasons);
    }

    [Fact]
    public async Task Topic_tags_automatic_mail_and_short_subjects_never_join_on_save()
    {
        var mailbox = await database.NewMailboxAsync();
        var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox);
        await Store.SaveMessagesAsync(inbox.Id, [
            Mail(1, "t1@x", "[TECH TOPIC] Rust for hiring tools", from: "kees@example.org"),
            Mail(2, "b1@x", "Undelivered Mail Returned to Sender", from: "MAILER-DAEMON@mx1.example.org"),
            Mail(3, "n1@x", "Quick question", from: "kees@example.org"),
        ], Ct);
        await Store.SaveMessagesAsync(inbox.Id, [
            Mail(4, "t2@x", "[MAINTAINERS SUMMIT] Rust for hiring tools", from: "kees@example.org", minutes: 5),
            Mail(5, "b2@x", "Undelivered Mail Returned to Sender", from: "MAILER-DAEMON@mx1.example.org", minutes: 5),
            Mail(6, "n2@x", "Re: Quick question", from: "kees@example.org", minutes: 5),
            Mail(7, "t3@x", "Re: [TECH TOPIC] Rust for hiring tools", from: "kees@example.org", minutes: 6),
        ], Ct);

        Assert.Equal(6, (await Inspector.ListThreadsAsync(mailbox.Id, 100, Ct)).Count);
        Assert.Equal(await Inspector.FindThreadAsync(mailbox.Id, "t1@x", Ct), await Inspector.FindThreadAsync(mailbox.Id, "t3@x", Ct));
    }

    [Fact]
    public async Task With_subject_joins_off_only_references_join()
    {
        var mailbox = await database.NewMailboxAsync();
        var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox);
        var store = new EfMessageStore(
            database.Services.GetRequiredService<MailroomContextFactory>(), database.Time,
            new ThreadingOptions { SubjectJoins = false }, database.Services.GetRequiredService<EventSignal>());
        await store.SaveMessagesAsync(inbox.Id, [Mail(1, "o1@x", "Contract draft", from: "hr@example.org")], Ct);
        await store.SaveMessagesAsync(inbox.Id, [
            Mail(2, "o2@x", "AW: Contract draft", from: "hr@example.org", minutes: 60),
            Mail(3, "o3@x", "Re: Contract draft", from: "hr@example.org", minutes: 61),
            Mail(4, "o4@x", "Re: Contract draft", parents: ["o1@x"], from: "hr@example.org", minutes: 62),
        ], Ct);

        var threads = await Inspector.ListThreadsAsync(mailbox.Id, 100, Ct);
        Assert.Equal(3, threads.Count);
        var first = await Inspector.FindThreadAsync(mailbox.Id, "o1@x", Ct);
        Assert.Equal(first, await Inspector.FindThreadAsync(mailbox.Id, "o4@x", Ct));
        Assert.DoesNotContain(
            (await Task.WhenAll(threads.Select(t => Inspector.ListThreadMessagesAsync(t.Id, Ct)))).SelectMany(m => m),
            m => m.Reason == ThreadReason.Subject);

        // The same messages with the rule on (the default store) join by subject: the switch is what kept them apart.
        var other = await database.NewMailboxAsync();
        var otherInbox = await database.NewFolderAsync(other.Id, "INBOX", FolderRole.Inbox);
        await Store.SaveMessagesAsync(otherInbox.Id, [Mail(1, "o1@x", "Contract draft", from: "hr@example.org")], Ct);
        await Store.SaveMessagesAsync(otherInbox.Id, [Mail(2, "o2@x", "AW: Contract draft", from: "hr@example.org", minutes: 60)], Ct);
        Assert.Single(await Inspector.ListThreadsAsync(other.Id, 100, Ct));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("me@example.com", false)]
    public async Task The_subject_rule_does_not_count_the_mailboxs_own_address_as_shared(string? address, bool joined)
    {
        // The login is no address: only the mailbox's address says that me@example.com is the mailbox itself.
        var org = await database.Accounts.EnsureOrganizationAsync("org-" + Guid.NewGuid().ToString("N"), Ct);
        var mailbox = await database.Accounts.AddMailboxAsync(org, "bench1", Mailroom.Core.Accounts.MailboxProtocol.Imap,
            new Mailroom.Core.Accounts.MailboxSettings { Host = "imap.example.com", Port = 993, UserName = "bench1", Address = address }, "s", Ct);
        var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox);
        await Store.SaveMessagesAsync(inbox.Id, [Mail(1, "o1@x", "Contract draft", from: "ann@example.org")], Ct);
        await Store.SaveMessagesAsync(inbox.Id, [Mail(2, "o2@x", "Re: Contract draft", from: "bob@example.org", minutes: 30)], Ct);

        var first = await Inspector.FindThreadAsync(mailbox.Id, "o1@x", Ct);
        Assert.Equal(joined, first == await Inspector.FindThreadAsync(mailbox.Id, "o2@x", Ct));
    }

    [Fact]
    public async Task Store_keeps_the_threads_of_threading_at_once_whatever_the_arrival_order()
    {
        var generated = GenerateMailbox(new Random(7), 150);
        var expected = new MailboxThreads(new SubjectRule(TimeSpan.FromDays(30), []));
        expected.Add([.. generated.Select((m, i) => ThreadableMessage.From(i, m.Message, m.Fetched.ProviderThreadId))]);
        var expectedPartition = Partition(expected.Threads().Select(t => t.Select(i => generated[(int)i].Message.MessageId!)));

        foreach (var seed in new[] { 1, 2, 3 })
        {
            var mailbox = await database.NewMailboxAsync();
            var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox);
            var random = new Random(seed);
            var shuffled = generated.OrderBy(_ => random.Next()).ToList();
            for (var i = 0; i < shuffled.Count;)
            {
                var size = random.Next(1, 30);
                await Store.SaveMessagesAsync(inbox.Id, shuffled.Skip(i).Take(size).ToList(), Ct);
                i += size;
            }

            var groups = new List<List<string>>();
            foreach (var thread in await Inspector.ListThreadsAsync(mailbox.Id, 10_000, Ct))
            {
                var messages = await Inspector.ListThreadMessagesAsync(thread.Id, Ct);
                Assert.Equal(thread.MessageCount, messages.Count);
                groups.Add([.. messages.Select(m => m.MessageIdHeader!)]);
            }

            Assert.Equal(expectedPartition, Partition(groups));
        }
    }

    /// <summary>
    /// A mailbox where three subjects recur thousands of times (notifications, newsletters) stored newest first in
    /// batches, as a first sync does. Loading every stored message with a batch's subject once ran SQLite past its
    /// parameter limit after about 33,000 of them and slowed every batch as the store grew; the look-up is now bounded
    /// by the subject window, and the threads must still be those of threading the mailbox at once.
    /// </summary>
    [Fact]
    public async Task Subjects_recurring_thousands_of_times_sync_in_batches_and_thread_as_at_once()
    {
        var perSubject = RecurringPerSubject;
        var random = new Random(11);
        var generated = new List<IngestedMessage>();
        foreach (var (topic, t) in new[] { "Team offsite agenda", "Security audit findings", "Weekly metrics" }.Select((x, i) => (x, i)))
        {
            var minutes = t * 7;
            for (var i = 0; i < perSubject; i++)
            {
                // About one a day, and now and then a pause longer than the window, which ends a thread.
                minutes += random.Next(60, 2 * 24 * 60) + (random.Next(150) == 0 ? 45 * 24 * 60 : 0);
                var subject = random.Next(4) == 0 ? "Re: " + topic : topic;
                generated.Add(Mail((uint)(generated.Count + 1), $"r{t}-{i}@x", subject, from: $"sender{random.Next(3)}@example.org", minutes: minutes));
            }
        }

        var expected = new MailboxThreads(new SubjectRule(TimeSpan.FromDays(30), []));
        expected.Add([.. generated.Select((m, i) => ThreadableMessage.From(i, m.Message, m.Fetched.ProviderThreadId))]);
        var expectedPartition = Partition(expected.Threads().Select(t => t.Select(i => generated[(int)i].Message.MessageId!)));

        var mailbox = await database.NewMailboxAsync();
        var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox);
        foreach (var batch in generated.OrderByDescending(m => m.Message.Date).Chunk(250))
            await Store.SaveMessagesAsync(inbox.Id, batch, Ct);

        Assert.Equal(generated.Count, (await Inspector.GetTotalsAsync(mailbox.Id, Ct)).Messages);
        var groups = new List<List<string>>();
        foreach (var thread in await Inspector.ListThreadsAsync(mailbox.Id, 100_000, Ct))
        {
            var messages = await Inspector.ListThreadMessagesAsync(thread.Id, Ct);
            Assert.Equal(thread.MessageCount, messages.Count);
            groups.Add([.. messages.Select(m => m.MessageIdHeader!)]);
        }

        Assert.True(groups.Count > 10, $"{groups.Count} threads: the pauses must split each subject into several");
        Assert.Equal(expectedPartition, Partition(groups));
    }

    /// <summary>Per recurring subject: on SQLite past the count that broke its parameter limit (3 x 11,000 &gt; 32,766).</summary>
    protected virtual int RecurringPerSubject => 11_000;

    private static string Partition(IEnumerable<IEnumerable<string>> groups) =>
        string.Join(" / ", groups.Select(g => string.Join(",", g.Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal));

    private static List<IngestedMessage> GenerateMailbox(Random random, int count)
    {
        var people = new[] { "a@example.org", "b@example.org", "c@example.org", "d@example.org" };
        var topics = new[] { "Offer letter", "Reference check", "Relocation", "Contract draft" };
        var result = new List<IngestedMessage>();
        for (var i = 1; i <= count; i++)
        {
            var from = people[random.Next(people.Length)];
            var minutes = random.Next(0, 60 * 24 * 60);
            var roll = random.Next(100);
            if (result.Count == 0 || roll < 30)
            {
                result.Add(Mail((uint)i, $"m{i}@x", topics[random.Next(topics.Length)], from: from, minutes: minutes));
                continue;
            }

            var parent = result[random.Next(result.Count)].Message;
            var subject = "Re: " + SubjectNormalizer.Normalize(parent.Subject, out _);
            string[] parents = roll switch
            {
                < 70 => [.. parent.References, parent.MessageId!],
                < 85 => [$"ghost{random.Next(10)}@x"],
                _ => [],
            };
            result.Add(Mail((uint)i, $"m{i}@x", subject, parents: parents, from: from, minutes: minutes));
        }

        return result;
    }

    private async Task<string> SnapshotAsync(long mailboxId)
    {
        var builder = new StringBuilder();
        foreach (var thread in await Inspector.ListThreadsAsync(mailboxId, 1000, Ct))
        {
            builder.Append(thread).Append('\n');
            foreach (var message in await Inspector.ListThreadMessagesAsync(thread.Id, Ct))
                builder.Append("  ").Append(message.MessageIdHeader).Append(' ').Append(message.Reason).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>A message with its references; the last parent is its In-Reply-To.</summary>
    private static IngestedMessage Mail(
        uint uid, string messageId, string subject, string[]? parents = null, string from = "alice@example.com",
        string to = "me@example.com", int minutes = 0, string? thread = null)
    {
        parents ??= [];
        var date = TestMessages.Date.AddMinutes(minutes);
        var raw = Encoding.UTF8.GetBytes(
            $"From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{messageId}>\r\n" +
            (parents.Length > 0 ? $"In-Reply-To: <{parents[^1]}>\r\nReferences: {string.Join(" ", parents.Select(p => $"<{p}>"))}\r\n" : "") +
            $"Date: {date:R}\r\n\r\nBody of {messageId}\r\n");
        var message = new NormalizedMessage
        {
            MessageId = messageId,
            InReplyTo = parents.Length > 0 ? parents[^1] : null,
            References = parents,
            Subject = subject,
            Date = date,
            From = [new MessageAddress(null, from)],
            To = [new MessageAddress(null, to)],
            TextBody = "Body of " + messageId,
            Snippet = "Body of " + messageId,
        };
        var ingested = TestMessages.Ingest(uid, raw, message);
        return thread is null ? ingested : ingested with { Fetched = ingested.Fetched with { ProviderThreadId = thread } };
    }
}

public sealed class SqliteThreadingTests(SqliteTestDatabase database)
    : ThreadingContract<SqliteTestDatabase>(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresThreadingTests(PostgresTestDatabase database)
    : ThreadingContract<PostgresTestDatabase>(database), IClassFixture<PostgresTestDatabase>
{
    // PostgreSQL takes a list as one array parameter, so it had no limit to cross; thousands show the same bound.
    protected override int RecurringPerSubject => 3_000;
}
