using System.Text;
using Mailroom.Core.Messages;

namespace Mailroom.Core.Tests.Messages;

/// <summary>
/// Each <c>Golden/NAME.eml</c> is normalized and compared with <c>NAME.expected.json</c>, and its MIME tree with
/// <c>NAME.tree.txt</c>. A missing or different baseline fails; <c>MAILROOM_UPDATE_GOLDEN=1</c> rewrites them
/// (review the diff before committing).
/// </summary>
public sealed class GoldenMessageTests
{
    private static bool Update => Environment.GetEnvironmentVariable("MAILROOM_UPDATE_GOLDEN") == "1";

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(TestMessages.GoldenDirectory, "*.eml").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    [Fact]
    public void Golden_folder_has_the_cases_the_design_asks_for()
    {
        var names = Cases().Select(row => row.Data).ToHashSet();
        Assert.True(names.Count >= 20, $"only {names.Count} golden messages in {TestMessages.GoldenDirectory}");
        Assert.Contains("calendar-invite-google", names);
        Assert.Contains("malformed-missing-boundary", names);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Golden_message_normalizes_to_its_baseline(string name)
    {
        var raw = File.ReadAllBytes(Path.Combine(TestMessages.GoldenDirectory, name + ".eml"));

        var actual = GoldenJson.Serialize(MessageNormalizer.Normalize(raw));

        AssertBaseline(name + ".expected.json", actual);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Golden_message_prints_its_tree_baseline(string name)
    {
        var raw = File.ReadAllBytes(Path.Combine(TestMessages.GoldenDirectory, name + ".eml"));
        using var output = new StringWriter { NewLine = "\n" };

        // As `mailroom parse` prints it: the tree as the normalizer reads the message.
        MimeTreePrinter.Print(raw, output);

        AssertBaseline(name + ".tree.txt", output.ToString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Golden_message_normalizes_the_same_from_stream_memory_and_parsed_message(string name)
    {
        var raw = File.ReadAllBytes(Path.Combine(TestMessages.GoldenDirectory, name + ".eml"));
        var fromMemory = GoldenJson.Serialize(MessageNormalizer.Normalize(raw));

        var fromStream = GoldenJson.Serialize(MessageNormalizer.Normalize(new MemoryStream(raw)));
        using var parsed = MessageNormalizer.Parse(new MemoryStream(raw));
        var fromParsed = MessageNormalizer.Normalize(parsed);

        Assert.Equal(fromMemory, fromStream);
        // Without the raw bytes a missing closing boundary cannot be seen; everything else must agree.
        var expected = MessageNormalizer.Normalize(raw);
        Assert.Equal(
            GoldenJson.Serialize(expected with { Problems = [] }),
            GoldenJson.Serialize(fromParsed with { Problems = [] }));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Golden_message_normalizes_the_same_from_its_parts_after_the_tree_is_shown(string name)
    {
        var raw = File.ReadAllBytes(Path.Combine(TestMessages.GoldenDirectory, name + ".eml"));
        using var parts = MessageParts.Open(raw);

        // As `mailroom parse` does: the tree first (it recovers broken multiparts in the same session), then the fields.
        _ = parts.Tree();

        Assert.Equal(GoldenJson.Serialize(MessageNormalizer.Normalize(raw)), GoldenJson.Serialize(parts.Normalize()));
    }

    private static void AssertBaseline(string fileName, string actual)
    {
        var path = Path.Combine(TestMessages.GoldenDirectory, fileName);
        if (Update)
        {
            File.WriteAllText(path, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return;
        }

        Assert.True(File.Exists(path), $"Baseline {path} is missing. Run the tests with MAILROOM_UPDATE_GOLDEN=1 to create it, then review it.");
        var expected = File.ReadAllText(path, Encoding.UTF8).ReplaceLineEndings("\n");
        Assert.Equal(expected, actual);
    }
}
