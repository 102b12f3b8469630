using System.Text;

namespace Mailroom.Core.Tests.Messages;

/// <summary>The body is every inline text part in order (RFC 8621 §4.1.4), for text and for HTML.</summary>
public sealed class JmapBodyTests
{
    [Fact]
    public void Text_then_image_then_text_are_one_body_and_the_image_stays_an_attachment()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/plain; charset=utf-8

            Before the photo.
            --m
            Content-Type: image/png; name=photo.png
            Content-Disposition: inline; filename=photo.png
            Content-Transfer-Encoding: base64

            iVBORw0KGgo=
            --m
            Content-Type: text/plain; charset=utf-8

            After the photo.
            --m--
            """);

        Assert.Equal("Before the photo.\r\nAfter the photo.", message.TextBody);
        Assert.Null(message.HtmlBody);
        var image = Assert.Single(message.Attachments);
        Assert.Equal(("photo.png", "2"), (image.FileName, image.PartPath));
    }

    [Fact]
    public void Five_text_parts_in_five_charsets_are_all_decoded_in_order()
    {
        var latin1 = Encoding.Latin1;
        var koi8 = Encoding.GetEncoding("koi8-r");
        var sjis = Encoding.GetEncoding(932);
        var win1251 = Encoding.GetEncoding(1251);
        var parts = new (string Charset, Encoding Encoding, string Text)[]
        {
            ("utf-8", Encoding.UTF8, "Grüße aus Köln"),
            ("iso-8859-1", latin1, "Café crème"),
            ("koi8-r", koi8, "Привет"),
            ("shift_jis", sjis, "こんにちは"),
            ("windows-1251", win1251, "Здравствуйте"),
        };
        var raw = new MemoryStream();
        void Write(string s) => raw.Write(Encoding.ASCII.GetBytes(s.ReplaceLineEndings("\r\n")));
        Write("Content-Type: multipart/mixed; boundary=m\n\n");
        foreach (var (charset, encoding, text) in parts)
        {
            Write($"--m\nContent-Type: text/plain; charset={charset}\nContent-Transfer-Encoding: 8bit\n\n");
            raw.Write(encoding.GetBytes(text));
            Write("\n");
        }

        Write("--m--\n");

        var message = Mailroom.Core.Messages.MessageNormalizer.Normalize(raw.ToArray());

        Assert.Equal(string.Join("\r\n", parts.Select(p => p.Text)), message.TextBody);
        Assert.Empty(message.Attachments);
    }

    [Fact]
    public void Html_split_around_an_image_inside_an_alternative_keeps_every_html_part()
    {
        // Apple Mail's shape: the HTML rendering is a multipart/mixed of HTML, image, HTML.
        var message = TestMessages.Normalize("""
            Content-Type: multipart/alternative; boundary=a

            --a
            Content-Type: text/plain

            Hello [image] world
            --a
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/html

            <p>Hello</p>
            --m
            Content-Type: image/jpeg; name=a.jpg
            Content-Disposition: inline; filename=a.jpg
            Content-ID: <img1@x>

            AAAA
            --m
            Content-Type: text/html

            <p>world</p>
            --m--
            --a--
            """);

        Assert.Equal("Hello [image] world", message.TextBody);
        Assert.Equal("<p>Hello</p>\r\n<p>world</p>", message.HtmlBody);
        var image = Assert.Single(message.Attachments);
        Assert.Equal(("a.jpg", "2.2"), (image.FileName, image.PartPath));
    }

    [Fact]
    public void Html_image_html_in_a_mixed_keeps_both_html_parts_and_gives_the_text_body_their_text()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/html

            <p>Part <i>one</i></p>
            --m
            Content-Type: image/gif
            Content-ID: <pic@x>

            R0lGODlhAQABAAAAACw=
            --m
            Content-Type: text/html

            <p>Part two</p>
            --m--
            """);

        Assert.Equal("<p>Part <i>one</i></p>\r\n<p>Part two</p>", message.HtmlBody);
        Assert.Null(message.TextBody);
        Assert.Equal("Part one Part two", message.Snippet);
        Assert.Equal("image/gif", Assert.Single(message.Attachments).ContentType);
    }

    [Fact]
    public void Two_alternatives_in_a_mixed_give_both_texts_and_both_htmls()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: multipart/alternative; boundary=a1

            --a1
            Content-Type: text/plain

            first text
            --a1
            Content-Type: text/html

            <p>first html</p>
            --a1--
            --m
            Content-Type: application/pdf; name=cv.pdf
            Content-Disposition: attachment; filename=cv.pdf

            JVBERi0=
            --m
            Content-Type: multipart/alternative; boundary=a2

            --a2
            Content-Type: text/plain

            second text
            --a2
            Content-Type: text/html

            <p>second html</p>
            --a2--
            --m--
            """);

        Assert.Equal("first text\r\nsecond text", message.TextBody);
        Assert.Equal("<p>first html</p>\r\n<p>second html</p>", message.HtmlBody);
        Assert.Equal("cv.pdf", Assert.Single(message.Attachments).FileName);
    }

    [Fact]
    public void Html_then_plain_in_a_mixed_are_in_both_bodies_each_in_the_bodys_format()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/html

            <p>Dear <b>Ann</b></p>
            --m
            Content-Type: text/plain

            -- list footer <unsubscribe@example.org>
            --m--
            """);

        Assert.Equal("Dear Ann\r\n-- list footer <unsubscribe@example.org>", message.TextBody);
        Assert.StartsWith("<p>Dear <b>Ann</b></p>\r\n<pre", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<unsubscribe", message.HtmlBody, StringComparison.Ordinal);
        Assert.Empty(message.Attachments);
    }

    [Fact]
    public void Attachments_stay_attachments_whatever_their_type()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/plain

            the body
            --m
            Content-Type: text/plain
            Content-Disposition: attachment

            attached without a name
            --m
            Content-Type: text/plain; name=notes.txt

            named text below the top
            --m
            Content-Type: text/html; name=page.html

            <p>named html</p>
            --m
            Content-Type: text/calendar; method=PUBLISH; name=invite.ics

            BEGIN:VCALENDAR
            END:VCALENDAR
            --m--
            """);

        Assert.Equal("the body", message.TextBody);
        Assert.Null(message.HtmlBody);
        Assert.Equal(["2", "3", "4", "5"], message.Attachments.Select(a => a.PartPath));
    }

    [Fact]
    public void Only_the_related_root_is_a_body_part()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/related; boundary=r

            --r
            Content-Type: text/html

            <p>root</p>
            --r
            Content-Type: text/html

            <p>a resource, not the body</p>
            --r--
            """);

        Assert.Equal("<p>root</p>", message.HtmlBody);
        Assert.Equal("2", Assert.Single(message.Attachments).PartPath);
    }

    [Theory]
    [InlineData("one\ntwo|three", "one\ntwo\nthree")] // the body so far breaks lines with LF: so does the separator
    [InlineData("x|y|z", "x\r\ny\r\nz")] // no line break yet: CRLF, which the body then holds
    [InlineData("a\r\nb|c", "a\r\nb\r\nc")]
    public void Parts_are_joined_with_the_line_ending_the_body_already_uses(string texts, string expected)
    {
        // Written byte for byte with bare LF line endings, so that the parts' own line endings come through.
        var raw = new StringBuilder("Content-Type: multipart/mixed; boundary=m\n\n");
        foreach (var text in texts.Split('|'))
            raw.Append("--m\nContent-Type: text/plain\n\n").Append(text).Append('\n');
        raw.Append("--m--\n");

        var message = Mailroom.Core.Messages.MessageNormalizer.Normalize(Encoding.ASCII.GetBytes(raw.ToString()));

        Assert.Equal(expected, message.TextBody);
    }
}
