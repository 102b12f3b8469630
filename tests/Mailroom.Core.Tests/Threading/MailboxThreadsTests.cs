using Mailroom.Core.Threading;

namespace Mailroom.Core.Tests.Threading;

public sealed class MailboxThreadsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly SubjectRule Rule = new(TimeSpan.FromDays(30), ["me@example.com"]);

    [Fact]
    public void Late_parent_merges_the_threads_its_replies_started()
    {
        var threads = new MailboxThreads(Rule);
        // Two replies to <root>, one through a missing middle message: they arrive first, in threads of their own.
        threads.Add([Msg(2, "b", refs: ["mid"]), Msg(3, "c", refs: ["other-mid"])]);
        Assert.Equal(2, threads.ThreadCount);

        threads.Add([Msg(1, "mid", refs: ["root"])]);
        Assert.Equal(2, threads.ThreadCount);
        threads.Add([Msg(4, "other-mid", refs: ["root"])]);

        Assert.Equal(1, threads.ThreadCount);
        Assert.Equal(ThreadReason.Reference, threads.Find(1)!.Value.Reason);
        Assert.Equal(threads.Find(1)!.Value.Thread, threads.Find(3)!.Value.Thread);
    }

    [Fact]
    public void Replies_to_the_same_missing_message_share_a_thread()
    {
        var threads = new MailboxThreads(Rule);
        threads.Add([Msg(1, "a", refs: ["ghost"])]);
        threads.Add([Msg(2, "b", refs: ["ghost"])]);
        Assert.Equal(threads.Find(1)!.Value.Thread, threads.Find(2)!.Value.Thread);
        Assert.Equal(ThreadReason.Reference, threads.Find(2)!.Value.Reason);
    }

    [Fact]
    public void Adding_a_message_again_changes_nothing()
    {
        var threads = new MailboxThreads(Rule);
        threads.Add([Msg(1, "a"), Msg(2, "b", refs: ["a"])]);
        var before = ThreadingCorpus.Canonical(threads.Threads());
        var plan = threads.Add([Msg(1, "a"), Msg(2, "b", refs: ["a"])]);
        Assert.Empty(plan.Assignments);
        Assert.Equal(before, ThreadingCorpus.Canonical(threads.Threads()));
        Assert.Equal((1L, ThreadReason.Root), threads.Find(1));
        Assert.Equal((1L, ThreadReason.Reference), threads.Find(2));
    }

    [Fact]
    public void Provider_thread_ids_win_over_references()
    {
        var threads = new MailboxThreads(Rule);
        threads.Add([
            Msg(1, "a", provider: "T1"), Msg(2, "b", refs: ["a"], provider: "T2"), Msg(3, "c", provider: "T1"),
        ]);
        Assert.Equal(threads.Find(1)!.Value.Thread, threads.Find(3)!.Value.Thread);
        Assert.NotEqual(threads.Find(1)!.Value.Thread, threads.Find(2)!.Value.Thread);
        Assert.Equal(ThreadReason.ProviderId, threads.Find(3)!.Value.Reason);
    }

    [Fact]
    public void Outlook_conversation_joins_messages_without_references()
    {
        var threads = new MailboxThreads(Rule);
        threads.Add([Msg(1, "a", subject: "Hi", conversation: "0a1b")]);
        threads.Add([Msg(2, "b", subject: "Hi", conversation: "0a1b")]);
        Assert.Equal((1L, ThreadReason.ProviderId), threads.Find(2));
    }

    [Fact]
    public void Subject_rule_joins_a_reply_without_references_to_its_original()
    {
        var threads = new MailboxThreads(Rule);
        threads.Add([Msg(1, "a", subject: "Interview on Monday", from: "alice@example.com", to: "me@example.com")]);
        threads.Add([Msg(2, "b", subject: "AW: Interview on Monday", from: "me@example.com", to: "alice@example.com", at: T0.AddDays(2))]);
        Assert.Equal((1L, ThreadReason.Subject), threads.Find(2));
        Assert.Equal((1L, ThreadReason.Root), threads.Find(1));
    }

    [Theory]
    [InlineData("Interview on Monday", "bob@example.com", 2, "no shared participant but the mailbox's own address")]
    [InlineData("Interview on Monday", "alice@example.com", 45, "outside the window")]
    [InlineData("Hello", "alice@example.com", 1, "generic subject")]
    [InlineData("Re: Invoice", "alice@example.com", 1, "generic subject")]
    public void Subject_rule_is_guarded(string subject, string from, int days, string why)
    {
        var threads = new MailboxThreads(Rule);
        threads.Add([Msg(1, "a", subject: SubjectNormalizer.Normalize(subject, out _), from: "alice@example.com", to: "me@example.com")]);
        threads.Add([Msg(2, "b", subject: "Re: " + subject, from: from, to: "me@example.com", at: T0.AddDays(days))]);
        Assert.True(threads.ThreadCount == 2, why);
    }

    [Theory]
    [InlineData("[TECH TOPIC] Rust in hiring", "[MAINTAINERS SUMMIT] Rust in hiring", null, "different topic tags")]
    [InlineData("[hiring-list] Rust in hiring", "Re: [other-list] Rust in hiring", "hiring-list.example.org", "another list's tag")]
    [InlineData("Rust", "Re: Rust", null, "short subject")]
    [InlineData("Status update", "Re: Status update", null, "generic subject")]
    [InlineData("Undelivered Mail Returned to Sender", "Undelivered Mail Returned to Sender", null, "bounce subject")]
    [InlineData("Automatic reply: Offer letter", "Automatic reply: Offer letter", null, "auto-reply subject")]
    public void Subject_rule_does_not_join_on_weak_or_automatic_subjects(string first, string second, string? listId, string why)
    {
        var threads = new MailboxThreads(Rule);
        threads.Add([Msg(1, "a", subject: first, list: listId)]);
        threads.Add([Msg(2, "b", subject: second, list: listId, at: T0.AddHours(1))]);
        Assert.True(threads.ThreadCount == 2, why);
    }

    [Fact]
    public void Subject_rule_joins_across_the_lists_own_tag()
    {
        var threads = new MailboxThreads(Rule);
        threads.Add([Msg(1, "a", subject: "Rust in hiring tools")]); // the author's own copy, as sent: no tag
        threads.Add([Msg(2, "b", subject: "Re: [hiring-list] Rust in hiring tools", list: "hiring-list.example.org", at: T0.AddHours(1))]);
        Assert.Equal((1L, ThreadReason.Subject), threads.Find(2));
    }

    [Fact]
    public void Automatic_mail_never_joins_by_subject_even_with_a_specific_subject()
    {
        var threads = new MailboxThreads(Rule);
        threads.Add([Msg(1, "a", subject: "Offer letter for Ann")]);
        threads.Add([Msg(2, "b", subject: "Re: Offer letter for Ann", automatic: true, at: T0.AddHours(1))]);
        threads.Add([Msg(3, "c", subject: "Re: Offer letter for Ann", automatic: true, at: T0.AddHours(2))]);
        Assert.Equal(3, threads.ThreadCount);
    }

    [Fact]
    public void A_message_that_joined_by_subject_keeps_that_reason_when_replies_arrive_with_it()
    {
        var threads = new MailboxThreads(Rule);
        threads.Add([Msg(1, "a", subject: "Offer letter")]);
        // b lost its references; c and d answer b properly. All three arrive in one batch.
        threads.Add([
            Msg(2, "b", subject: "AW: Offer letter", at: T0.AddHours(1)),
            Msg(3, "c", refs: ["b"], subject: "Re: AW: Offer letter", at: T0.AddHours(2)),
            Msg(4, "d", refs: ["b", "c"], subject: "Re: AW: Offer letter", at: T0.AddHours(3)),
        ]);
        Assert.Equal(1, threads.ThreadCount);
        Assert.Equal(ThreadReason.Root, threads.Find(1)!.Value.Reason);
        Assert.Equal(ThreadReason.Subject, threads.Find(2)!.Value.Reason);
        Assert.Equal(ThreadReason.Reference, threads.Find(3)!.Value.Reason);
        Assert.Equal(ThreadReason.Reference, threads.Find(4)!.Value.Reason);
    }

    [Fact]
    public void Every_subject_join_shows_in_a_reason_whatever_the_arrival_order()
    {
        // The later message first: when the earlier one arrives, it is the one that records the join.
        var threads = new MailboxThreads(Rule);
        threads.Add([Msg(2, "b", subject: "Re: Offer letter", at: T0.AddHours(5))]);
        threads.Add([Msg(1, "a", subject: "Offer letter")]);
        Assert.Equal(1, threads.ThreadCount);
        Assert.Equal(ThreadReason.Subject, threads.Find(1)!.Value.Reason);
        Assert.Equal(ThreadReason.Root, threads.Find(2)!.Value.Reason);
    }

    [Fact]
    public void Switched_off_the_subject_rule_joins_nothing()
    {
        var threads = new MailboxThreads(new SubjectRule(TimeSpan.FromDays(30), ["me@example.com"], enabled: false));
        threads.Add([Msg(1, "a", subject: "Offer letter"), Msg(2, "b", subject: "Re: Offer letter", at: T0.AddHours(1))]);
        threads.Add([Msg(3, "c", subject: "AW: Offer letter", at: T0.AddHours(2)), Msg(4, "d", refs: ["a"], subject: "Re: Offer letter")]);
        Assert.Equal(3, threads.ThreadCount);
        Assert.Equal(threads.Find(1)!.Value.Thread, threads.Find(4)!.Value.Thread);
        Assert.DoesNotContain(new long[] { 1, 2, 3, 4 }, id => threads.Find(id)!.Value.Reason == ThreadReason.Subject);
    }

    [Fact]
    public void Subject_rule_never_joins_two_messages_that_both_have_references()
    {
        var threads = new MailboxThreads(Rule);
        threads.Add([Msg(1, "a", subject: "Offer letter", refs: ["x"])]);
        threads.Add([Msg(2, "b", subject: "Re: Offer letter", refs: ["y"])]);
        Assert.Equal(2, threads.ThreadCount);
    }

    /// <summary>
    /// The property the store relies on: generated mailboxes (replies, replies to missing messages, late parents,
    /// duplicates, loops, subject-only replies, provider ids) threaded in shuffled orders and random batch sizes give
    /// exactly the threads of threading them at once.
    /// </summary>
    [Fact]
    public void Incremental_threading_in_any_order_equals_batch_threading()
    {
        for (var mailboxSeed = 1; mailboxSeed <= 15; mailboxSeed++)
        {
            var messages = Generate(new Random(mailboxSeed), 300);
            var all = new MailboxThreads(Rule);
            all.Add(messages);
            var expected = ThreadingCorpus.Canonical(all.Threads());
            Assert.True(all.ThreadCount < messages.Count / 2, "the generated mailbox has conversations");

            for (var orderSeed = 1; orderSeed <= 10; orderSeed++)
            {
                var random = new Random((mailboxSeed * 1000) + orderSeed);
                var shuffled = messages.OrderBy(_ => random.Next()).ToList();
                var threads = new MailboxThreads(Rule);
                for (var i = 0; i < shuffled.Count;)
                {
                    var size = random.Next(1, 40);
                    threads.Add(shuffled.Skip(i).Take(size).ToList());
                    i += size;
                }

                Assert.Equal(expected, ThreadingCorpus.Canonical(threads.Threads()));
            }
        }
    }

    /// <summary>A mailbox of conversations among a few people, with the faults real mail has.</summary>
    internal static List<ThreadableMessage> Generate(Random random, int count)
    {
        var people = Enumerable.Range(0, 12).Select(i => $"p{i}@example.org").Append("me@example.com").ToArray();
        var topics = new[] { "Interview on Monday", "Offer letter", "Hello", "Reference check", "Invoice", "Relocation", "Contract draft" };
        var result = new List<ThreadableMessage>(count);
        for (var i = 1; i <= count; i++)
        {
            var date = T0.AddHours(random.Next(0, 24 * 90));
            var from = people[random.Next(people.Length)];
            var to = people[random.Next(people.Length)];
            var roll = random.Next(100);
            var id = $"g{i}@example.org";
            if (result.Count == 0 || roll < 25)
            {
                result.Add(new ThreadableMessage(i, id, null, [], topics[random.Next(topics.Length)], date, [from, to]));
                continue;
            }

            var parent = result[random.Next(result.Count)];
            var subject = "Re: " + SubjectNormalizer.Normalize(parent.Subject, out _);
            var message = roll switch
            {
                < 50 => new ThreadableMessage(i, id, parent.MessageId, [.. parent.References, parent.MessageId!], subject, date, [from, to]),
                < 60 => new ThreadableMessage(i, id, $"missing{random.Next(count / 4)}@example.org", [], subject, date, [from, to]), // ghost parent
                < 70 => new ThreadableMessage(i, id, null, [], subject, date, [from, parent.Participants[0]]), // no references
                < 75 => parent with { Id = i, Date = date }, // duplicate Message-ID
                < 80 => new ThreadableMessage(i, id, $"g{i + 1}@example.org", [$"g{i + 1}@example.org"], subject, date, [from, to]), // loop
                < 88 => new ThreadableMessage(i, id, null, [], subject, date, [from, to], ProviderThreadId: $"T{random.Next(20)}"),
                < 92 => new ThreadableMessage(i, null, parent.MessageId, [], subject, date, [from, to]), // no Message-ID
                _ => new ThreadableMessage(i, id, parent.MessageId, [], subject, date, [from, to], ConversationIndex: $"c{random.Next(30)}"),
            };
            result.Add(message);
        }

        return result;
    }

    private static ThreadableMessage Msg(
        long id, string messageId, string[]? refs = null, string subject = "Offer letter", string? provider = null,
        string? conversation = null, string from = "alice@example.com", string to = "me@example.com", DateTimeOffset? at = null,
        string? list = null, bool automatic = false) =>
        new(id, messageId, refs is { Length: > 0 } ? refs[^1] : null, refs ?? [], subject, at ?? T0.AddMinutes(id), [from, to], provider, conversation,
            list, automatic || AutomaticMail.IsAutomaticSubject(subject));
}
