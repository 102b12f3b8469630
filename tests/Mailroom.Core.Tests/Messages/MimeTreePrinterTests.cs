using System.Text.Json;
using Mailroom.Core.Messages;

namespace Mailroom.Core.Tests.Messages;

public sealed class MimeTreePrinterTests
{
    private const string Message = """
        Content-Type: multipart/mixed; boundary=m

        --m
        Content-Type: multipart/alternative; boundary=a

        --a
        Content-Type: text/plain; charset=UTF-8

        hello
        --a
        Content-Type: multipart/related; boundary=r

        --r
        Content-Type: text/html; charset=utf-8

        <img src="cid:logo@x">
        --r
        Content-Type: image/png; name=logo.png
        Content-Disposition: inline; filename=logo.png
        Content-ID: <logo@x>
        Content-Transfer-Encoding: base64

        AAAAAAAA
        --r--
        --a--
        --m
        Content-Type: application/pdf
        Content-Disposition: attachment; filename*=utf-8''R%C3%A9sum%C3%A9.pdf

        %PDF
        --m--
        """;

    [Fact]
    public void Tree_is_printed_with_part_numbers_types_dispositions_names_and_sizes()
    {
        using var message = TestMessages.Parse(Message);
        using var output = new StringWriter { NewLine = "\n" };

        MimeTreePrinter.Print(message, output);

        Assert.Equal("""
            multipart/mixed
            ├── 1 multipart/alternative
            │   ├── 1.1 text/plain; charset=utf-8 (5 B)
            │   └── 1.2 multipart/related
            │       ├── 1.2.1 text/html; charset=utf-8 (22 B)
            │       └── 1.2.2 image/png  inline cid:logo@x  "logo.png" (6 B)
            └── 2 application/pdf  attachment  "Résumé.pdf" (4 B)

            """, output.ToString());
    }

    [Fact]
    public void Tree_model_serializes_to_json_and_back()
    {
        using var message = TestMessages.Parse(Message);

        var tree = MimeTreePrinter.Describe(message)!;
        var json = JsonSerializer.Serialize(tree);
        var back = JsonSerializer.Deserialize<MimeTreeNode>(json)!;

        Assert.Equal("", tree.Path);
        Assert.Equal("1.2.2", tree.Children[0].Children[1].Children[1].Path);
        Assert.Equal("logo@x", back.Children[0].Children[1].Children[1].ContentId);
        Assert.Equal(6, back.Children[0].Children[1].Children[1].Size);
        Assert.Null(back.Children[0].Size);
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1229, "1.2 KB")]
    [InlineData(12 * 1024, "12 KB")]
    [InlineData(120 * 1024, "120 KB")]
    [InlineData(3_565_158, "3.4 MB")]
    public void Sizes_read_like_a_person_writes_them(long bytes, string expected)
    {
        Assert.Equal(expected, MimeTreePrinter.FormatSize(bytes));
    }

    [Fact]
    public void Encapsulated_message_parts_are_numbered_inside_their_message_rfc822_part()
    {
        using var message = TestMessages.Parse("""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/plain

            see below
            --m
            Content-Type: message/rfc822

            Subject: inner
            Content-Type: multipart/alternative; boundary=a

            --a
            Content-Type: text/plain

            inner
            --a--
            --m
            Content-Type: message/rfc822

            Subject: single

            single body
            --m--
            """);

        var tree = MimeTreePrinter.Describe(message)!;

        Assert.Equal("2", tree.Children[1].Children[0].Path);
        Assert.Equal("2.1", tree.Children[1].Children[0].Children[0].Path);
        Assert.Equal("3.1", tree.Children[2].Children[0].Path);
    }
}
