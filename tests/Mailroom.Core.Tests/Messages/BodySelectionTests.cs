namespace Mailroom.Core.Tests.Messages;

public sealed class BodySelectionTests
{
    [Fact]
    public void Alternative_picks_the_last_html_and_the_last_plain_text()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/alternative; boundary=b

            --b
            Content-Type: text/plain

            first plain
            --b
            Content-Type: text/html

            <p>first html</p>
            --b
            Content-Type: text/plain

            second plain
            --b
            Content-Type: text/html

            <p>second html</p>
            --b--
            """);

        Assert.Equal("second plain", message.TextBody);
        Assert.Equal("<p>second html</p>", message.HtmlBody);
        Assert.Empty(message.Attachments);
    }

    [Fact]
    public void Alternative_inside_related_picks_html_root()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/related; boundary=r; type="multipart/alternative"

            --r
            Content-Type: multipart/alternative; boundary=a

            --a
            Content-Type: text/plain

            plain
            --a
            Content-Type: text/html

            <img src="cid:logo@x">
            --a--
            --r
            Content-Type: text/html
            Content-ID: <decoy@x>

            <p>not the body</p>
            --r
            Content-Type: image/png
            Content-ID: <logo@x>

            AAAA
            --r--
            """);

        Assert.Equal("plain", message.TextBody);
        Assert.Equal("<img src=\"cid:logo@x\">", message.HtmlBody);
        Assert.Equal(["2", "3"], message.Attachments.Select(a => a.PartPath));
    }

    [Fact]
    public void Related_inside_alternative_takes_html_from_the_related_root()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/alternative; boundary=a

            --a
            Content-Type: text/plain

            plain
            --a
            Content-Type: multipart/related; boundary=r

            --r
            Content-Type: text/html

            <img src="cid:logo@x">
            --r
            Content-Type: image/png
            Content-ID: <logo@x>

            AAAA
            --r--
            --a--
            """);

        Assert.Equal("plain", message.TextBody);
        Assert.Equal("<img src=\"cid:logo@x\">", message.HtmlBody);
        var image = Assert.Single(message.Attachments);
        Assert.Equal("2.2", image.PartPath);
        Assert.True(image.IsInline);
    }

    [Fact]
    public void Related_root_is_the_part_named_by_the_start_parameter()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/related; boundary=r; start="<root@x>"

            --r
            Content-Type: image/png
            Content-ID: <logo@x>

            AAAA
            --r
            Content-Type: text/html
            Content-ID: <root@x>

            <img src="cid:logo@x">
            --r--
            """);

        Assert.Equal("<img src=\"cid:logo@x\">", message.HtmlBody);
        Assert.Equal("1", Assert.Single(message.Attachments).PartPath);
    }

    [Fact]
    public void Related_root_follows_the_type_parameter_when_the_first_part_is_not_of_that_type()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/related; type="text/html"; boundary=r

            --r
            Content-Type: image/png
            Content-Location: image1

            AAAA
            --r
            Content-Type: text/html

            <img src="image1">
            --r--
            """);

        Assert.Equal("<img src=\"image1\">", message.HtmlBody);
        Assert.Equal("1", Assert.Single(message.Attachments).PartPath);
    }

    [Fact]
    public void Plain_text_attachment_is_not_the_body()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/plain
            Content-Disposition: attachment; filename=notes.txt

            attached notes
            --m--
            """);

        Assert.Null(message.TextBody);
        Assert.Equal("notes.txt", Assert.Single(message.Attachments).FileName);
        Assert.Equal("", message.Snippet);
    }

    [Fact]
    public void Named_text_part_below_the_top_is_an_attachment_but_a_named_single_body_is_the_body()
    {
        var mixed = TestMessages.Normalize("""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/html

            <p>body</p>
            --m
            Content-Type: text/plain; name="readme.txt"

            readme
            --m--
            """);
        var single = TestMessages.Normalize("Content-Type: text/plain; name=\"body.txt\"\n\nthe body\n");

        Assert.Null(mixed.TextBody);
        Assert.Equal("readme.txt", Assert.Single(mixed.Attachments).FileName);
        Assert.Equal("the body\r\n", single.TextBody);
        Assert.Empty(single.Attachments);
    }

    [Fact]
    public void Mixed_reads_every_inline_text_part_into_the_body_in_order()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: multipart/alternative; boundary=a

            --a
            Content-Type: text/plain

            the body
            --a--
            --m
            Content-Type: text/plain

            a mailing-list footer
            --m--
            """);

        Assert.Equal("the body\r\na mailing-list footer", message.TextBody);
        Assert.Empty(message.Attachments);
    }

    [Fact]
    public void Forwarded_message_body_is_not_the_outer_body()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: message/rfc822

            Subject: inner

            inner body
            --m--
            """);

        Assert.Null(message.TextBody);
        var forwarded = Assert.Single(message.Attachments);
        Assert.Equal(("message/rfc822", "inner.eml", "1"), (forwarded.ContentType, forwarded.FileName, forwarded.PartPath));
    }

    [Fact]
    public void Text_calendar_alternative_is_an_event_not_an_attachment()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/alternative; boundary=a

            --a
            Content-Type: text/plain

            You are invited.
            --a
            Content-Type: text/calendar; method=REQUEST

            BEGIN:VCALENDAR
            BEGIN:VEVENT
            UID:1@x
            SUMMARY:Call
            DTSTART:20240101T100000Z
            END:VEVENT
            END:VCALENDAR
            --a--
            """);

        Assert.Equal("You are invited.", message.TextBody);
        Assert.Empty(message.Attachments);
        var calendarEvent = Assert.Single(message.CalendarEvents);
        Assert.Equal(("REQUEST", "Call"), (calendarEvent.Method, calendarEvent.Summary));
    }
}
