using System.Text;
using Mailroom.Core.Threading;

namespace Mailroom.Core.Tests.Threading;

/// <summary><c>&lt;repo&gt;/../shared/corpus</c> (or <c>MAILROOM_CORPUS</c>), and helpers shared by the threading tests.</summary>
internal static class ThreadingCorpus
{
    public const string Missing =
        "Corpus not found: set MAILROOM_CORPUS or put shared/corpus beside the repository (<repo>/../shared/corpus/threading).";

    /// <summary>The corpus folder (holding <c>threading/</c> and <c>messages/</c>), or null when absent.</summary>
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable("MAILROOM_CORPUS") is { Length: > 0 } configured)
            return Directory.Exists(Path.Combine(configured, "threading")) ? configured : null;

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Mailroom.slnx")) && !Directory.Exists(Path.Combine(dir.FullName, ".git")))
                continue;
            var corpus = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus"));
            return Directory.Exists(Path.Combine(corpus, "threading")) ? corpus : null;
        }

        return null;
    }

    public static string RequireFolder()
    {
        var corpus = Find();
        if (corpus is null)
            Assert.Skip(Missing);
        return corpus;
    }

    /// <summary>Trees as MailKit's tests print them: subjects indented three spaces a level, "dummy" for a missing message.</summary>
    public static string Render(IEnumerable<ThreadNode> roots)
    {
        var builder = new StringBuilder();
        foreach (var root in roots)
            Render(builder, root, 0);
        return builder.ToString();
    }

    private static void Render(StringBuilder builder, ThreadNode node, int depth)
    {
        builder.Append(' ', depth * 3).Append(node.Message is null ? "dummy" : node.Message.Subject).Append('\n');
        foreach (var child in node.Children)
            Render(builder, child, depth + 1);
    }

    /// <summary>Pairs of items in the same group, as "a|b" with a &lt; b (ordinal).</summary>
    public static HashSet<string> Pairs(IEnumerable<IEnumerable<string>> groups)
    {
        var pairs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var items = group.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            for (var i = 0; i < items.Count; i++)
            {
                for (var j = i + 1; j < items.Count; j++)
                    pairs.Add(items[i] + "|" + items[j]);
            }
        }

        return pairs;
    }

    /// <summary>A partition as a canonical string: each group's ids sorted, groups sorted.</summary>
    public static string Canonical(IEnumerable<IEnumerable<long>> groups) =>
        string.Join(" / ", groups.Select(g => string.Join(",", g.Order())).Order(StringComparer.Ordinal));
}
