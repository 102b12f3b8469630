using Mailroom.Core.Messages;

namespace Mailroom.Core.Tests.Messages;

public sealed class AttachmentTests
{
    [Fact]
    public void Part_paths_follow_imap_bodystructure_numbering()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: multipart/alternative; boundary=a

            --a
            Content-Type: text/plain

            body
            --a
            Content-Type: multipart/related; boundary=r

            --r
            Content-Type: text/html

            <img src="cid:i@x">
            --r
            Content-Type: image/png
            Content-ID: <i@x>

            AAAA
            --r--
            --a--
            --m
            Content-Type: application/pdf; name=a.pdf

            AAAA
            --m
            Content-Type: message/rfc822

            Subject: inner
            Content-Type: multipart/mixed; boundary=n

            --n
            Content-Type: text/plain

            inner
            --n--
            --m--
            """);

        Assert.Equal(["1.2.2", "2", "3"], message.Attachments.Select(a => a.PartPath));
    }

    [Fact]
    public void Single_part_message_body_is_part_1()
    {
        var message = TestMessages.Normalize("Content-Type: application/pdf; name=x.pdf\n\nAAAA\n");

        Assert.Equal("1", Assert.Single(message.Attachments).PartPath);
    }

    [Fact]
    public void Image_in_related_referenced_by_cid_is_inline_and_unreferenced_one_is_not()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/related; boundary=r

            --r
            Content-Type: text/html

            <img src="cid:used@x">
            --r
            Content-Type: image/png
            Content-ID: <used@x>

            AAAA
            --r
            Content-Type: image/png; name=spare.png
            Content-ID: <spare@x>

            AAAA
            --r--
            """);

        Assert.Equal([true, false], message.Attachments.Select(a => a.IsInline));
    }

    [Fact]
    public void Disposition_inline_with_content_id_is_inline_outside_related_and_without_content_id_is_not()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/plain

            see picture
            --m
            Content-Type: image/jpeg; name=a.jpg
            Content-Disposition: inline; filename=a.jpg
            Content-ID: <a@x>

            AAAA
            --m
            Content-Type: image/jpeg; name=b.jpg
            Content-Disposition: inline; filename=b.jpg

            AAAA
            --m--
            """);

        Assert.Equal([true, false], message.Attachments.Select(a => a.IsInline));
    }

    [Theory]
    [InlineData("base64", "aGVsbG8gd29ybGQ=", 11)]
    [InlineData("base64", "aGVs\nbG8g\nd29y\nbGQ=", 11)]
    [InlineData("quoted-printable", "caf=C3=A9=\nbar", 8)]
    [InlineData("7bit", "hello", 5)]
    public void Size_is_the_decoded_size(string encoding, string content, long expected)
    {
        var message = TestMessages.Normalize(
            $"Content-Type: application/octet-stream; name=x.bin\nContent-Transfer-Encoding: {encoding}\n\n{content}");

        Assert.Equal(expected, Assert.Single(message.Attachments).Size);
    }

    [Fact]
    public void Content_type_is_lower_case_and_file_names_are_decoded()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: APPLICATION/PDF; name="=?utf-8?B?0JDQutGCLnBkZg==?="

            AAAA
            --m
            Content-Type: application/octet-stream
            Content-Disposition: attachment; filename*=iso-8859-1'de'%FCbersicht.txt

            AAAA
            --m--
            """);

        Assert.Equal(["application/pdf", "application/octet-stream"], message.Attachments.Select(a => a.ContentType));
        Assert.Equal(["Акт.pdf", "übersicht.txt"], message.Attachments.Select(a => a.FileName));
    }

    [Fact]
    public void Large_attachment_is_measured_without_being_decoded_into_memory()
    {
        var payload = Convert.ToBase64String(new byte[6 * 1024 * 1024], Base64FormattingOptions.InsertLineBreaks);
        var raw = TestMessages.Bytes(
            "Content-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: text/plain\n\nhi\n--m\n"
            + "Content-Type: application/zip; name=big.zip\nContent-Transfer-Encoding: base64\n\n" + payload + "\n--m--\n");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var message = MessageNormalizer.Normalize(raw);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(6 * 1024 * 1024, Assert.Single(message.Attachments).Size);
        Assert.True(allocated < 1024 * 1024, $"normalizing allocated {allocated:N0} bytes for a 6 MB attachment");
    }
}
