using System.Diagnostics;
using System.Text;
using Mailroom.Core.Messages;

namespace Mailroom.Core.Tests.Messages;

/// <summary>
/// Real-world mail from <c>&lt;repo&gt;/../shared/corpus/messages</c> (or <c>MAILROOM_CORPUS</c>): every file must go
/// through the normalizer and the tree printer without an exception. Skipped, saying so, when the corpus is absent.
/// </summary>
public sealed class CorpusTests
{
    [Fact]
    public void Every_corpus_message_normalizes_and_prints_without_exception()
    {
        var directory = FindCorpus();
        if (directory is null)
        {
            Assert.Skip("Corpus not found: set MAILROOM_CORPUS or put shared/corpus beside the repository (<repo>/../shared/corpus/messages).");
            return;
        }

        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);

        var failures = new StringBuilder();
        var withProblems = 0;
        long bytes = 0;
        var clock = Stopwatch.StartNew();
        foreach (var file in files)
        {
            try
            {
                var raw = File.ReadAllBytes(file);
                bytes += raw.Length;
                var normalized = MessageNormalizer.Normalize(raw);
                if (normalized.Problems.Count > 0)
                    withProblems++;

                using var parsed = MessageNormalizer.Parse(new MemoryStream(raw));
                MimeTreePrinter.Print(parsed, TextWriter.Null);
                _ = MimeTreePrinter.Describe(parsed);
            }
            catch (Exception ex)
            {
                failures.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{Path.GetRelativePath(directory, file)}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{files.Count} files, {bytes / 1024} KB in {clock.ElapsedMilliseconds} ms; {withProblems} with problems recorded");
        Assert.True(failures.Length == 0, "Corpus messages that threw:\n" + failures);
    }

    internal static string? FindCorpus()
    {
        if (Environment.GetEnvironmentVariable("MAILROOM_CORPUS") is { Length: > 0 } configured)
        {
            var messages = Path.Combine(configured, "messages");
            return Directory.Exists(messages) ? messages : Directory.Exists(configured) ? configured : null;
        }

        // <repo>/../shared/corpus: walk up from the test assembly to the repository root.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Mailroom.slnx")) && !Directory.Exists(Path.Combine(dir.FullName, ".git")))
                continue;

            var corpus = Path.Combine(dir.FullName, "..", "shared", "corpus", "messages");
            return Directory.Exists(corpus) ? Path.GetFullPath(corpus) : null;
        }

        return null;
    }
}
