using Mailroom.Core.Messages;

namespace Mailroom.Core.Tests.Messages;

public sealed class MessageIdTests
{
    [Theory]
    [InlineData("<abc@example.com>", "abc@example.com")]
    [InlineData("  <abc@example.com>  ", "abc@example.com")]
    [InlineData("abc@example.com", "abc@example.com")]
    [InlineData("< abc@example.com >", "abc@example.com")]
    [InlineData("<1234.5678@[10.0.0.1]>", "1234.5678@[10.0.0.1]")]
    [InlineData("<local-only>", "local-only")]
    [InlineData("<>", null)]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("<@>", null)]
    [InlineData("two words", null)]
    [InlineData("<a<b@c>", null)]
    public void Normalize_strips_brackets_and_rejects_unusable_ids(string input, string? expected)
    {
        Assert.Equal(expected, MessageIds.Normalize(input));
    }

    [Theory]
    [InlineData("Message-ID: <abc@example.com>", "abc@example.com")]
    [InlineData("Message-ID: abc@example.com", "abc@example.com")]
    [InlineData("Message-ID: <abc@example.com> (comment)", "abc@example.com")]
    [InlineData("Message-ID:\n <folded@example.com>", "folded@example.com")]
    [InlineData("Message-ID: <>", null)]
    public void Message_id_header_is_read_without_angle_brackets(string header, string? expected)
    {
        var message = TestMessages.Normalize(header + "\nSubject: x\n\nbody\n");

        Assert.Equal(expected, message.MessageId);
    }

    [Fact]
    public void Unusable_message_id_is_a_problem_and_missing_one_too()
    {
        var empty = TestMessages.Normalize("Message-ID: <>\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n\nx\n");
        var missing = TestMessages.Normalize("Date: Mon, 1 Jan 2024 00:00:00 +0000\n\nx\n");

        Assert.Contains(empty.Problems, p => p.StartsWith("Message-ID header is not a usable id", StringComparison.Ordinal));
        Assert.Contains("no Message-ID header", missing.Problems);
    }

    [Fact]
    public void In_reply_to_takes_the_first_usable_id_and_ignores_prose()
    {
        var message = TestMessages.Normalize(
            "In-Reply-To: Your message of Monday <first@example.com> <second@example.com>\n\nx\n");

        Assert.Equal("first@example.com", message.InReplyTo);
    }

    [Fact]
    public void References_keep_header_order_drop_junk_and_repeats_across_folded_and_repeated_headers()
    {
        var message = TestMessages.Normalize(
            "References: <a@x> junk <b@x>\n\t<a@x> <> <c@x\nReferences: <d@x>\n\nx\n");

        Assert.Equal(["a@x", "b@x", "d@x"], message.References);
    }

    [Fact]
    public void Content_id_is_read_without_brackets()
    {
        var message = TestMessages.Normalize(
            "Content-Type: image/png\nContent-ID:  <logo@x>  \nContent-Disposition: inline\n\nAAAA\n");

        Assert.Equal("logo@x", Assert.Single(message.Attachments).ContentId);
    }
}
