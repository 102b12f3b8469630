using System.Text;
using Mailroom.Core.Messages;

namespace Mailroom.Core.Tests.Messages;

/// <summary>Parts given out as the sender attached them, and multiparts read as RFC 2046 says, in the tree too.</summary>
public sealed class RawPartTests
{
    private const string Inner = "From: a@example.com\nSubject: inner\nContent-Type: text/plain\n\nline one\nline two";

    private static byte[] Enclosing(string inner) => TestMessages.Bytes($"""
        Subject: outer
        Content-Type: multipart/mixed; boundary=m

        --m
        Content-Type: text/plain

        see attached
        --m
        Content-Type: message/rfc822

        {inner}
        --m--
        """);

    [Fact]
    public void Attached_message_keeps_its_crlf_bytes_in_size_and_content()
    {
        var raw = Enclosing(Inner);
        var expected = TestMessages.Bytes(Inner);

        var attachment = Assert.Single(MessageNormalizer.Normalize(raw).Attachments);
        using var parts = MessageParts.Open(raw);
        var content = parts.Find(attachment.PartPath)!;

        Assert.Equal(expected.Length, attachment.Size);
        Assert.Equal(expected, content.Content);
        Assert.Equal("message/rfc822", content.ContentType);
    }

    [Fact]
    public void Rfc822_part_that_is_not_a_message_keeps_its_content()
    {
        const string prose = "This is a single line of prose, not a message at all.";
        var raw = Enclosing(prose);

        var message = MessageNormalizer.Normalize(raw);
        var attachment = Assert.Single(message.Attachments);
        using var parts = MessageParts.Open(raw);

        Assert.Equal(prose, Encoding.ASCII.GetString(parts.Find("2")!.Content));
        Assert.Equal(prose.Length, attachment.Size);
        Assert.Equal("see attached", message.TextBody);
    }

    [Fact]
    public void Attached_message_inside_a_rebuilt_multipart_is_found_by_its_ingest_path_byte_for_byte()
    {
        var raw = TestMessages.Bytes($"""
            Content-Type: multipart/mixed

            --sep
            Content-Type: text/plain

            body
            --sep
            Content-Type: message/rfc822

            {Inner}
            --sep--
            """);

        var attachment = Assert.Single(MessageNormalizer.Normalize(raw).Attachments);
        using var parts = MessageParts.Open(raw);

        Assert.Equal("2", attachment.PartPath);
        Assert.Equal(TestMessages.Bytes(Inner), parts.Find("2")!.Content);
    }

    [Theory]
    [InlineData("--m-- trailing words")]
    [InlineData("--m--trailing")]
    [InlineData("--m--\tand more")]
    public void Closing_boundary_followed_by_text_ends_the_multipart(string closeLine)
    {
        var message = TestMessages.Normalize($"""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/plain

            the body
            --m
            Content-Type: application/pdf; name=a.pdf
            Content-Transfer-Encoding: base64

            JVBERi0=
            {closeLine}
            epilogue that no one should read
            """);

        Assert.Equal("the body", message.TextBody);
        var pdf = Assert.Single(message.Attachments);
        Assert.Equal(5, pdf.Size);
        Assert.Contains(message.Problems, p => p.StartsWith("closing boundary \"m\" is followed by text", StringComparison.Ordinal));
    }

    [Fact]
    public void Longer_boundary_that_starts_with_a_close_delimiter_is_not_taken_for_it()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: multipart/alternative; boundary="b--x"

            --b--x
            Content-Type: text/plain

            plain
            --b--x
            Content-Type: text/html

            <p>html</p>
            --b--x--
            --b
            Content-Type: application/pdf; name=a.pdf

            %PDF
            --b--
            """);

        Assert.Equal(("plain", "<p>html</p>"), (message.TextBody, message.HtmlBody));
        Assert.Equal("a.pdf", Assert.Single(message.Attachments).FileName);
        Assert.DoesNotContain(message.Problems, p => p.StartsWith("closing boundary", StringComparison.Ordinal));
    }

    [Fact]
    public void Nested_closing_boundary_followed_by_text_leaves_the_outer_parts_alone_and_attached_bytes_exact()
    {
        var inner = "Subject: inner\nContent-Type: multipart/alternative; boundary=a\n\n--a\nContent-Type: text/plain\n\nhi\n--a-- sent from my phone";
        var raw = TestMessages.Bytes($"""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: multipart/alternative; boundary=a

            --a
            Content-Type: text/plain

            outer text
            --a-- trailing text
            --m
            Content-Type: message/rfc822

            {inner}
            --m
            Content-Type: image/png; name=x.png

            AAAA
            --m--
            """);

        var message = MessageNormalizer.Normalize(raw);
        using var parts = MessageParts.Open(raw);

        Assert.Equal("outer text", message.TextBody);
        Assert.Equal(["2", "3"], message.Attachments.Select(a => a.PartPath));
        Assert.Equal(TestMessages.Bytes(inner), parts.Find("2")!.Content);
    }

    [Fact]
    public void Repaired_multipart_shows_in_the_tree_the_parts_the_attachment_list_has()
    {
        var raw = File.ReadAllBytes(Path.Combine(TestMessages.GoldenDirectory, "malformed-missing-boundary.eml"));

        var message = MessageNormalizer.Normalize(raw);
        var tree = MimeTreePrinter.Describe(raw)!;

        Assert.Equal(["1", "2"], tree.Children.Select(c => c.Path));
        var leaves = tree.Children.Where(c => c.Path != "1");
        Assert.Equal(message.Attachments.Select(a => (a.PartPath, a.FileName, (long?)a.Size)), leaves.Select(c => (c.Path, c.FileName, c.Size)));
        using var parts = MessageParts.Open(raw);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (byte)i), parts.Find("2")!.Content);
    }
}
