using System.Text.Json;
using Mailroom.Core.Messages;
using Mailroom.Core.Threading;

namespace Mailroom.Core.Tests.Threading;

/// <summary>
/// The notmuch corpora threaded by <see cref="MailboxThreads"/> and scored against notmuch 0.37's threads: "same
/// thread" pairs of Message-IDs must reach precision and recall of 0.99, and every pair on which the two differ must be
/// one listed below with its explanation. notmuch threads on References and In-Reply-To only; Mailroom also applies
/// the guarded subject rule, so a difference it makes is recognized by threading again without that rule.
/// </summary>
public sealed class NotmuchCorpusTests(ITestOutputHelper output)
{
    // corpus → pair → why Mailroom differs from notmuch there. Empty: no difference at all.
    private static readonly Dictionary<string, Dictionary<string, string>> Explained = new()
    {
        ["default"] = [],
        ["lkml"] = [],
        ["broken-loop"] = [],
        ["duplicate"] = [],
        ["threading-ghost-root"] = [],
        ["threading-parent-priority"] = [],
    };

    public static TheoryData<string> Corpora => [.. Explained.Keys];

    [Theory]
    [MemberData(nameof(Corpora))]
    public void Same_thread_pairs_match_notmuch(string corpus)
    {
        var folder = ThreadingCorpus.RequireFolder();
        var messages = Load(folder, corpus);
        var reference = JsonSerializer.Deserialize<List<List<string>>>(
            File.ReadAllText(Path.Combine(folder, "threading", $"notmuch-{corpus}.json")))!;

        var ours = Pairs(messages, new SubjectRule(TimeSpan.FromDays(30), []));
        var withoutSubjects = Pairs(messages, new SubjectRule(TimeSpan.FromDays(-1), []));
        var expected = ThreadingCorpus.Pairs(reference);

        var truePositives = ours.Count(expected.Contains);
        var precision = ours.Count == 0 ? 1.0 : (double)truePositives / ours.Count;
        var recall = expected.Count == 0 ? 1.0 : (double)truePositives / expected.Count;
        output.WriteLine($"{corpus}: {messages.Count} messages, {ours.Count} pairs here, {expected.Count} in notmuch, precision {precision:F4}, recall {recall:F4}");

        var differences = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in ours.Where(p => !expected.Contains(p)))
            differences[pair] = withoutSubjects.Contains(pair) ? "joined here, not in notmuch: by references" : "joined here, not in notmuch: subject rule";
        foreach (var pair in expected.Where(p => !ours.Contains(p)))
            differences[pair] = "joined by notmuch, not here";
        foreach (var (pair, why) in differences.OrderBy(d => d.Key, StringComparer.Ordinal))
            output.WriteLine($"  {pair}: {why}");

        Assert.True(precision >= 0.99, $"precision {precision:F4}");
        Assert.True(recall >= 0.99, $"recall {recall:F4}");
        var explained = Explained[corpus];
        Assert.Equal(explained.Keys.Order(StringComparer.Ordinal), differences.Keys.Order(StringComparer.Ordinal));
        foreach (var (pair, why) in differences)
            Assert.StartsWith(why, explained[pair], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Corpora))]
    public void Threading_the_corpus_in_shuffled_batches_gives_the_same_threads(string corpus)
    {
        var messages = Load(ThreadingCorpus.RequireFolder(), corpus);
        var rule = new SubjectRule(TimeSpan.FromDays(30), []);
        var all = new MailboxThreads(rule);
        all.Add(messages);
        var expected = ThreadingCorpus.Canonical(all.Threads());
        for (var seed = 1; seed <= 20; seed++)
        {
            var random = new Random(seed);
            var shuffled = messages.OrderBy(_ => random.Next()).ToList();
            var threads = new MailboxThreads(rule);
            for (var i = 0; i < shuffled.Count;)
            {
                var size = random.Next(1, 8);
                threads.Add(shuffled.Skip(i).Take(size).ToList());
                i += size;
            }

            Assert.Equal(expected, ThreadingCorpus.Canonical(threads.Threads()));
        }
    }

    private static HashSet<string> Pairs(List<ThreadableMessage> messages, SubjectRule rule)
    {
        var threads = new MailboxThreads(rule);
        threads.Add(messages);
        var byId = messages.ToDictionary(m => m.Id);
        return ThreadingCorpus.Pairs(threads.Threads().Select(t => t.Select(id => byId[id].MessageId!)));
    }

    /// <summary>Every file the reference names ("a | b" lists copies of one message), normalized.</summary>
    private static List<ThreadableMessage> Load(string folder, string corpus)
    {
        var files = JsonSerializer.Deserialize<List<List<string>>>(
            File.ReadAllText(Path.Combine(folder, "threading", $"notmuch-{corpus}.files.json")))!;
        var result = new List<ThreadableMessage>();
        foreach (var entry in files.SelectMany(t => t).SelectMany(e => e.Split(" | ")).Order(StringComparer.Ordinal))
        {
            var normalized = MessageNormalizer.Normalize(File.ReadAllBytes(Path.Combine(folder, entry)));
            Assert.NotNull(normalized.MessageId);
            result.Add(ThreadableMessage.From(result.Count + 1, normalized));
        }

        return result;
    }
}
