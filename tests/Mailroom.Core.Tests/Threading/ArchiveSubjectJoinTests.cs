using System.Text.Json;
using Mailroom.Core.Messages;
using Mailroom.Core.Threading;

namespace Mailroom.Core.Tests.Threading;

/// <summary>
/// Real mailing-list archives (the notmuch corpora: linux-kernel and other vger lists, the notmuch list) and real
/// delivery reports (chatmail, flanker, MimeKit, mailparser, postal-mime): every thread that spans several reference
/// groups is explained by subject joins the rule allows between messages of those groups, and automatic mail is never
/// joined by subject. Skipped, saying so, when the shared corpus is absent.
/// </summary>
public sealed class ArchiveSubjectJoinTests(ITestOutputHelper output)
{
    private static readonly SubjectRule Rule = new(TimeSpan.FromDays(30), []);

    // The notmuch reference corpora, every notmuch corpus as one mailbox, and every message of the corpus as one mailbox.
    public static TheoryData<string> Archives => ["default", "lkml", "threading-ghost-root", "duplicate", "messages/notmuch", "messages"];

    [Theory]
    [MemberData(nameof(Archives))]
    public void Threads_spanning_several_reference_groups_are_explained_by_subject_joins(string corpus)
    {
        var messages = Load(ThreadingCorpus.RequireFolder(), corpus);
        var byId = messages.ToDictionary(m => m.Id);
        var ours = new MailboxThreads(Rule);
        ours.Add(messages);
        var references = new MailboxThreads(new SubjectRule(Rule.Window, [], enabled: false));
        references.Add(messages);

        var spanning = 0;
        foreach (var thread in ours.Threads())
        {
            var groups = thread.GroupBy(id => references.Find(id)!.Value.Thread).ToList();
            if (groups.Count < 2)
                continue;
            spanning++;
            // Groups joined by an allowed subject pair; all of them must end up joined.
            var groupOf = groups.SelectMany(g => g.Select(id => (id, g.Key))).ToDictionary(x => x.id, x => x.Key);
            var parent = groups.ToDictionary(g => g.Key, g => g.Key);
            long Find(long g) => parent[g] == g ? g : parent[g] = Find(parent[g]);
            foreach (var a in thread)
            {
                foreach (var b in thread)
                {
                    var (x, y) = (byId[a], byId[b]);
                    if (a >= b || groupOf[a] == groupOf[b] || SubjectRule.KeyOf(x) is not { } key || key != SubjectRule.KeyOf(y)
                        || !Rule.Joins(x, x.HasReferences, y, y.HasReferences))
                        continue;
                    Assert.False(x.Automatic || y.Automatic, $"automatic mail joined by subject: {x.Subject} / {y.Subject}");
                    Assert.False(SubjectNormalizer.IsGenericKey(key), key);
                    if (Find(groupOf[a]) == Find(groupOf[b]))
                        continue;
                    output.WriteLine($"{corpus}: subject join \"{x.Subject}\" ({x.MessageId}) ~ \"{y.Subject}\" ({y.MessageId}) on \"{key}\"");
                    parent[Find(groupOf[a])] = Find(groupOf[b]);
                }
            }

            Assert.Single(groups.Select(g => Find(g.Key)).Distinct());
            var reasons = thread.Select(id => ours.Find(id)!.Value.Reason).ToList();
            Assert.Contains(ThreadReason.Subject, reasons);
        }

        // Automatic mail stays in the thread its references make.
        foreach (var message in messages.Where(m => m.Automatic))
        {
            var mine = ours.Threads().Single(t => t.Contains(message.Id)).Order();
            var byReferences = references.Threads().Single(t => t.Contains(message.Id)).Order();
            Assert.Equal(byReferences, mine);
        }

        output.WriteLine($"{corpus}: {messages.Count} messages, {ours.ThreadCount} threads ({references.ThreadCount} by references), " +
            $"{spanning} spanning several reference groups, {messages.Count(m => m.Automatic)} automatic");
    }

    /// <summary>
    /// Every delivery or read report, bounce and MAILER-DAEMON message of the corpus is recognized as automatic, and
    /// threading them all in one mailbox, on one day, with one participant in common, joins none by subject.
    /// </summary>
    [Fact]
    public void Real_bounces_and_reports_are_automatic_and_never_join_each_other()
    {
        var folder = ThreadingCorpus.RequireFolder();
        var reports = new List<(string File, ThreadableMessage Message)>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(folder, "messages"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}notmuch{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                continue;
            var normalized = MessageNormalizer.Normalize(File.ReadAllBytes(file));
            var head = File.ReadAllText(file);
            var isReport = head.Contains("multipart/report", StringComparison.OrdinalIgnoreCase) && normalized.Automatic == "multipart/report";
            var fromDaemon = normalized.From.Any(a => a.Address.StartsWith("mailer-daemon@", StringComparison.OrdinalIgnoreCase)
                || a.Address.StartsWith("postmaster@", StringComparison.OrdinalIgnoreCase));
            var bounceSubject = normalized.Subject is { } s && BounceSubjects.Any(b => s.StartsWith(b, StringComparison.OrdinalIgnoreCase));
            if (!isReport && !fromDaemon && !bounceSubject)
                continue;
            var message = ThreadableMessage.From(reports.Count + 1, normalized) with
            {
                Date = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero).AddMinutes(reports.Count),
                Participants = ["me@example.com", "bob@example.org"],
            };
            Assert.True(message.Automatic, $"{Path.GetRelativePath(folder, file)} ({normalized.Subject}) is not recognized as automatic");
            Assert.Null(SubjectRule.KeyOf(message));
            reports.Add((file, message));
        }

        output.WriteLine($"{reports.Count} reports and bounces: " + string.Join(", ", reports.Select(r => Path.GetFileName(r.File))));
        Assert.True(reports.Count >= 30, $"{reports.Count} reports found");
        var threads = new MailboxThreads(Rule);
        threads.Add([.. reports.Select(r => r.Message)]);
        var references = new MailboxThreads(new SubjectRule(Rule.Window, [], enabled: false));
        references.Add([.. reports.Select(r => r.Message)]);
        Assert.Equal(references.ThreadCount, threads.ThreadCount);
        Assert.DoesNotContain(reports, r => threads.Find(r.Message.Id)!.Value.Reason == ThreadReason.Subject);
    }

    // Written here from the corpus, not taken from the code under test.
    private static readonly string[] BounceSubjects =
    [
        "Undelivered Mail Returned to Sender", "Delivery Status Notification", "Mail delivery failed", "Failure Notice",
        "Undeliverable", "Returned mail", "Delayed Mail", "email delivery error", "Successful Mail Delivery Report",
    ];

    private static List<ThreadableMessage> Load(string folder, string corpus)
    {
        if (corpus.StartsWith("messages", StringComparison.Ordinal))
        {
            var all = new List<ThreadableMessage>();
            foreach (var file in Directory.EnumerateFiles(Path.Combine(folder, corpus), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                all.Add(ThreadableMessage.From(all.Count + 1, MessageNormalizer.Normalize(File.ReadAllBytes(file))));
            return all;
        }

        var files = JsonSerializer.Deserialize<List<List<string>>>(
            File.ReadAllText(Path.Combine(folder, "threading", $"notmuch-{corpus}.files.json")))!;
        var result = new List<ThreadableMessage>();
        foreach (var entry in files.SelectMany(t => t).SelectMany(e => e.Split(" | ")).Order(StringComparer.Ordinal))
            result.Add(ThreadableMessage.From(result.Count + 1, MessageNormalizer.Normalize(File.ReadAllBytes(Path.Combine(folder, entry)))));
        return result;
    }
}
