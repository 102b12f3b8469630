using System.Text.Json;
using Mailroom.Core.Threading;
using MimeKit.Utils;

namespace Mailroom.Core.Tests.Threading;

/// <summary>
/// Jamie Zawinski's threading vectors (his TestThreader.java, as MailKit's MessageThreadingTests carry them), through
/// <see cref="ReplyTreeBuilder"/>: the trees must be exactly the expected ones.
/// </summary>
public sealed class ReplyTreeVectorTests
{
    private const string Date = "01 Jan 1997 12:00:00 -0400";

    // The full vector list of TestThreadByReferences (subject, Message-ID, date, References).
    private static readonly (string Subject, string Id, string Date, string Refs)[] Vectors =
    [
        ("A", "1", Date, ""), ("B", "2", Date, "1"), ("C", "3", Date, "1 2"), ("D", "4", Date, "1"),
        ("E", "5", Date, "3 x1 x2 x3"), ("F", "6", Date, "2"), ("G", "7", Date, "nonesuch"), ("H", "8", Date, "nonesuch"),
        ("Loop1", "loop1", Date, "loop2 loop3"), ("Loop2", "loop2", Date, "loop3 loop1"), ("Loop3", "loop3", Date, "loop1 loop2"),
        ("Loop4", "loop4", Date, "loop5"), ("Loop5", "loop5", Date, "loop4"), ("Loop6", "loop6", Date, "loop6"),
        ("Loop7", "loop7", Date, "loop8 loop9 loop10 loop8 loop9 loop10"),
        ("Loop8", "loop8", Date, "loop9 loop10 loop7 loop9 loop10 loop7"),
        ("Loop8", "loop9", Date, "loop10 loop7 loop8 loop10 loop7 loop8"),
        ("Loop10", "loop10", Date, "loop7 loop8 loop9 loop7 loop8 loop9"),
        ("Ambig1", "ambig1", Date, ""), ("Ambig2", "ambig2", Date, "ambig1"), ("Ambig3", "ambig3", Date, "ambig1 ambig2"),
        ("Ambig4", "ambig4", Date, "ambig1 ambig2 ambig3"), ("Ambig5a", "ambig5a", Date, "ambig1 ambig2 ambig3 ambig4"),
        ("Ambig5b", "ambig5b", Date, "ambig1 ambig3 ambig2 ambig4"),
        ("dup", "dup", Date, ""), ("dup-kid", "dup-kid", Date, "dup"), ("dup-kid", "dup-kid", Date, "dup"),
        ("dup-kid-2", "dup-kid-2", Date, "dup"), ("dup-kid-2", "dup-kid-2", Date, "dup"), ("dup-kid-2", "dup-kid-2", Date, "dup"),
        ("same subject 1", "ss1.1", Date, ""), ("same subject 1", "ss1.2", Date, ""),
        ("missingmessage", "missa", Date, ""), ("missingmessage", "missc", Date, "missa missb"),
        ("liar 1", "liar.1", Date, "liar.a liar.c"), ("liar 2", "liar.2", Date, "liar.a liar.b liar.c"),
        ("liar2 1", "liar2.1", Date, "liar2.a liar2.b liar2.c"), ("liar2 2", "liar2.2", Date, "liar2.a liar2.c"),
        ("xx", "331F7D61.2781@netscape.com", "Thu, 06 Mar 1997 18:28:50 -0800", ""),
        ("lkjhlkjh", "3321E51F.41C6@netscape.com", "Sat, 08 Mar 1997 14:15:59 -0800", ""),
        ("test 2", "3321E5A6.41C6@netscape.com", "Sat, 08 Mar 1997 14:18:14 -0800", ""),
        ("enc", "3321E5C0.167E@netscape.com", "Sat, 08 Mar 1997 14:18:40 -0800", ""),
        ("lkjhlkjh", "3321E715.15FB@netscape.com", "Sat, 08 Mar 1997 14:24:21 -0800", ""),
        ("eng", "3321E7A4.59E2@netscape.com", "Sat, 08 Mar 1997 14:26:44 -0800", ""),
        ("lkjhl", "3321E7BB.1CFB@netscape.com", "Sat, 08 Mar 1997 14:27:07 -0800", ""),
        ("Re: certs and signed messages", "332230AA.41C6@netscape.com", "Sat, 08 Mar 1997 19:38:18 -0800", "33222A5E.ED4@netscape.com"),
        ("from dogbert", "3323546E.BEE44C78@netscape.com", "Sun, 09 Mar 1997 16:23:10 -0800", ""),
        ("lkjhlkjhl", "33321E2A.1C849A20@netscape.com", "Thu, 20 Mar 1997 21:35:38 -0800", ""),
        ("le:/u/jwz/mime/smi", "33323C9D.ADA4BCBA@netscape.com", "Thu, 20 Mar 1997 23:45:33 -0800", ""),
        ("ile:/u/jwz", "33323F62.402C573B@netscape.com", "Thu, 20 Mar 1997 23:57:22 -0800", ""),
        ("ljkljhlkjhl", "336FBAD0.864BC1F4@netscape.com", "Tue, 06 May 1997 16:12:16 -0700", ""),
        ("lkjh", "336FBB46.A0028A6D@netscape.com", "Tue, 06 May 1997 16:14:14 -0700", ""),
        ("foo", "337265C1.5C758C77@netscape.com", "Thu, 08 May 1997 16:46:09 -0700", ""),
        ("Welcome to Netscape", "337AAB3D.C8BCE069@netscape.com", "Wed, 14 May 1997 23:20:45 -0700", ""),
        ("Re: Welcome to Netscape", "337AAE46.903032E4@netscape.com", "Wed, 14 May 1997 23:33:45 -0700", "337AAB3D.C8BCE069@netscape.com"),
        ("[Fwd: enc/signed test 1]", "338B6EE2.BB26C74C@netscape.com", "Tue, 27 May 1997 16:31:46 -0700", ""),
    ];

    // MailKit's expected output for the list above.
    private const string Expected =
        "A\n   B\n      C\n         E\n      F\n   D\ndummy\n   G\n   H\nLoop5\n   Loop4\nLoop6\n" +
        "Ambig1\n   Ambig2\n      Ambig3\n         Ambig4\n            Ambig5a\n            Ambig5b\n" +
        "dup\n   dup-kid\n   dup-kid\n   dup-kid-2\n   dup-kid-2\n   dup-kid-2\n" +
        "dummy\n   same subject 1\n   same subject 1\nmissingmessage\n   missingmessage\n" +
        "dummy\n   liar 1\n   liar 2\ndummy\n   liar2 1\n   liar2 2\nxx\ndummy\n   lkjhlkjh\n   lkjhlkjh\n" +
        "test 2\nenc\neng\nlkjhl\nRe: certs and signed messages\nfrom dogbert\nlkjhlkjhl\nle:/u/jwz/mime/smi\nile:/u/jwz\n" +
        "ljkljhlkjhl\nlkjh\nfoo\nWelcome to Netscape\n   Re: Welcome to Netscape\n[Fwd: enc/signed test 1]\n";

    // Loop1-3 and Loop7-10 name each other only: every container has a parent, MailKit finds no root and drops them.
    // Messages are never dropped here: each loop is broken where the link would close it, so they form these trees.
    private const string Loops = "Loop2\n   Loop3\n      Loop1\nLoop8\n   Loop8\n      Loop10\n         Loop7\n";

    [Fact]
    public void References_vectors_give_exactly_the_expected_trees()
    {
        var messages = Vectors.Select((v, i) => Message(i, v.Subject, v.Id, v.Date, v.Refs.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();

        var trees = ReplyTreeBuilder.Build(messages);

        var loops = trees.Where(t => t.Subject!.StartsWith("Loop", StringComparison.Ordinal) && t.Subject is not ("Loop5" or "Loop6")).ToList();
        Assert.Equal(Loops, ThreadingCorpus.Render(loops));
        Assert.Equal(Expected, ThreadingCorpus.Render(trees.Except(loops)));
    }

    [Fact]
    public void Loops_are_broken_the_same_way_every_time()
    {
        var messages = Vectors.Select((v, i) => Message(i, v.Subject, v.Id, v.Date, v.Refs.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        var first = ThreadingCorpus.Render(ReplyTreeBuilder.Build(messages));
        Assert.Equal(first, ThreadingCorpus.Render(ReplyTreeBuilder.Build(messages)));
        Assert.Equal(Vectors.Length, first.Split('\n').Count(l => l.Length > 0 && l.Trim() != "dummy"));
    }

    [Fact]
    public void Corpus_subject_vectors_give_exactly_the_expected_tree()
    {
        var (messages, expected) = LoadCorpus("TestThreadBySubject.json");
        Assert.Equal(expected, ThreadingCorpus.Render(ReplyTreeBuilder.Build(messages, useReferences: false)));
    }

    /// <summary>
    /// The corpus copy of the references vectors. Its message list lacks ten of JWZ's messages that its expected tree
    /// (MailKit's output for the full list) shows: Ambig1-4, dup, dup-kid twice, and Loop7-9. Those two subtrees differ,
    /// as they must, and only they: Ambig5a/5b answer a missing Ambig4 and dup-kid-2 a missing dup, so each group hangs
    /// under an empty container; Loop10 alone names missing loop7-9 only, so it is a root (MailKit drops the Loop7-10
    /// loop). The test of the full list above checks those subtrees exactly.
    /// </summary>
    [Fact]
    public void Corpus_reference_vectors_give_the_expected_trees_where_the_corpus_has_their_messages()
    {
        var (messages, expected) = LoadCorpus("TestThreadByReferences.json");

        var actual = ThreadingCorpus.Render(ReplyTreeBuilder.Build(messages));

        var expectedHere = expected
            .Replace("Ambig1\n   Ambig2\n      Ambig3\n         Ambig4\n            Ambig5a\n            Ambig5b\n",
                "dummy\n   Ambig5a\n   Ambig5b\n", StringComparison.Ordinal)
            .Replace("dup\n   dup-kid\n   dup-kid\n   dup-kid-2\n", "dummy\n   dup-kid-2\n", StringComparison.Ordinal)
            .Replace("Loop6\n", "Loop6\nLoop10\n", StringComparison.Ordinal);
        var loops = "Loop2\n   Loop3\n      Loop1\n";
        Assert.Equal(expectedHere, actual.Replace(loops, "", StringComparison.Ordinal));
        Assert.Contains(loops, actual, StringComparison.Ordinal);
    }

    private static (List<ThreadableMessage> Messages, string ExpectedText) LoadCorpus(string file)
    {
        var path = Path.Combine(ThreadingCorpus.RequireFolder(), "threading", "jwz-mailkit", file);
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var messages = json.RootElement.GetProperty("messages").EnumerateArray().Select((m, i) => Message(
            i, m.GetProperty("subject").GetString()!, m.GetProperty("message_id").GetString()!.Trim('<', '>'),
            m.GetProperty("date").GetString()!,
            [.. m.GetProperty("references").EnumerateArray().Select(r => r.GetString()!.Trim('<', '>'))])).ToList();
        return (messages, json.RootElement.GetProperty("expected_tree_text").GetString()!);
    }

    private static ThreadableMessage Message(int index, string subject, string id, string date, string[] references)
    {
        Assert.True(DateUtils.TryParse(date, out var parsed), date);
        return new ThreadableMessage(index, id, null, references, subject, parsed, ["jwz-test@example.invalid"]);
    }
}
