using Mailroom.Core.Messages;

namespace Mailroom.Core.Tests.Messages;

/// <summary>Normalization must never throw, whatever the bytes.</summary>
public sealed class RobustnessTests
{
    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(20240524);
        for (var i = 0; i < 300; i++)
        {
            var bytes = new byte[random.Next(0, 4096)];
            random.NextBytes(bytes);

            var message = MessageNormalizer.Normalize(bytes);

            Assert.NotNull(message.Problems);
        }
    }

    [Fact]
    public void Every_truncation_and_byte_flip_of_the_golden_messages_never_throws()
    {
        var random = new Random(7);
        const string troublemakers = "\r\n:;=\"<>-\0\xff";
        foreach (var file in Directory.EnumerateFiles(TestMessages.GoldenDirectory, "*.eml"))
        {
            var raw = File.ReadAllBytes(file);
            for (var length = 0; length < raw.Length; length += Math.Max(1, raw.Length / 97))
                _ = MessageNormalizer.Normalize(raw.AsMemory(0, length));

            for (var i = 0; i < 50 && raw.Length > 0; i++)
            {
                var mutated = (byte[])raw.Clone();
                for (var flips = 0; flips < 8; flips++)
                    mutated[random.Next(mutated.Length)] = (byte)troublemakers[random.Next(troublemakers.Length)];
                _ = MessageNormalizer.Normalize(mutated);
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n")]
    [InlineData("\r\n\r\n\r\n")]
    [InlineData("Subject: only a header")]
    [InlineData("Content-Type: multipart/mixed; boundary=x\r\n\r\n")]
    [InlineData("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n")]
    [InlineData("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x--\r\n")]
    [InlineData("Content-Type: message/rfc822\r\n\r\n")]
    [InlineData("Content-Type: text/plain; charset=\"\r\n\r\nx")]
    [InlineData("Content-Type: text/calendar\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!")]
    [InlineData("From: \"unterminated <a@b\r\nTo: ,,,@,<>\r\nDate: 99 Foo 99999 99:99:99\r\n\r\n")]
    [InlineData("From mbox-line Mon Jan  1 00:00:00 2024\r\nSubject: x\r\n\r\nbody")]
    public void Degenerate_messages_never_throw(string raw)
    {
        var message = TestMessages.Normalize(raw);

        Assert.NotNull(message.Snippet);
    }

    [Fact]
    public void Deeply_nested_multiparts_never_throw()
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < 500; i++)
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n");
        text.Append("Content-Type: text/plain\n\ndeep\n");

        var message = TestMessages.Normalize(text.ToString());

        Assert.NotNull(message.Problems);
    }

    [Fact]
    public void Empty_input_is_an_empty_message_with_a_problem()
    {
        var message = MessageNormalizer.Normalize(ReadOnlyMemory<byte>.Empty);

        Assert.Contains("the message is empty", message.Problems);
        Assert.Empty(message.Attachments);
    }

    [Fact]
    public void Input_without_headers_is_read_as_text()
    {
        var message = TestMessages.Normalize("just some words\nand more\n");

        Assert.Equal("just some words\r\nand more\r\n", message.TextBody);
        Assert.Contains("no header could be read; the whole message is read as text", message.Problems);
    }

    [Fact]
    public void Blank_lines_before_the_headers_are_skipped()
    {
        var message = TestMessages.Normalize("   \n\nSubject: padded\nFrom: a@example.com\n\nbody\n");

        Assert.Equal("padded", message.Subject);
        Assert.Equal("body\r\n", message.TextBody);
        Assert.Contains("7 bytes before the first header were skipped", message.Problems);
    }

    [Fact]
    public void Nul_characters_are_removed_from_text()
    {
        var message = TestMessages.Normalize("Content-Type: text/plain\n\na\0b\n");

        Assert.Equal("ab\r\n", message.TextBody);
        Assert.Contains("part 1: the text contains NUL characters; they were removed", message.Problems);
    }

    [Fact]
    public void Normalizing_in_parallel_gives_the_same_results_as_one_at_a_time()
    {
        var messages = Directory.EnumerateFiles(TestMessages.GoldenDirectory, "*.eml").Select(File.ReadAllBytes).ToArray();
        var expected = messages.Select(raw => GoldenJson.Serialize(MessageNormalizer.Normalize(raw))).ToArray();

        var actual = new string[messages.Length * 8];
        Parallel.For(0, actual.Length, i => actual[i] = GoldenJson.Serialize(MessageNormalizer.Normalize(messages[i % messages.Length])));

        for (var i = 0; i < actual.Length; i++)
            Assert.Equal(expected[i % messages.Length], actual[i]);
    }

    [Fact]
    public void Normalizing_the_same_parsed_message_twice_gives_the_same_result_and_does_not_change_it()
    {
        using var parsed = TestMessages.Parse("Content-Type: multipart/mixed\n\n--x\nContent-Type: text/plain\n\nhello\n--x--\n");
        var before = parsed.ToString();

        var first = GoldenJson.Serialize(MessageNormalizer.Normalize(parsed));
        var second = GoldenJson.Serialize(MessageNormalizer.Normalize(parsed));

        Assert.Equal(first, second);
        Assert.Equal(before, parsed.ToString());
        Assert.Contains("hello", first, StringComparison.Ordinal);
    }
}
