using System.Text;
using Ical.Net;
using Mailroom.Core.Html;
using Mailroom.Core.Messages;
using Mailroom.Core.Sending;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Mailroom.Core.Tests.Sending;

public sealed class ComposerTests
{
    private static readonly OutgoingAddress From = new("anna@example.com", "Anna Müller");
    private static readonly OutgoingAddress To = new("boris@example.org", "Борис Иванов");

    internal static MessageComposer Composer() => new(UnchangedHtmlPolicy.Instance, new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero)));

    internal static MimeMessage Reparse(ComposedMessage composed) => MimeMessage.Load(new MemoryStream(composed.Raw));

    [Fact]
    public void Html_alone_gets_a_generated_text_part_in_an_alternative()
    {
        var composed = Composer().Compose(new OutgoingMessage
        {
            From = From, To = [To], Subject = "Offer",
            Html = "<html><head><style>p{color:red}</style></head><body><p>Hello <b>Boris</b>,</p><ul><li>one</li><li>two</li></ul><p>See <a href=\"https://example.com/x\">the offer</a>.</p></body></html>",
        });
        var message = Reparse(composed);

        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        Assert.Equal("Hello Boris,\n\n- one\n- two\nSee the offer <https://example.com/x>.\n", message.TextBody!.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.DoesNotContain("color", message.TextBody!, StringComparison.Ordinal);
    }

    [Fact]
    public void Inline_images_go_with_the_html_in_multipart_related_and_files_in_mixed()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 3 };
        var composed = Composer().Compose(new OutgoingMessage
        {
            From = From, To = [To], Subject = "Logo", Text = "Logo attached.",
            Html = "<p><img src=\"cid:logo@mailroom\"></p>",
            Attachments = [new("logo.png", "image/png", png, "logo@mailroom"), new("Lebenslauf Müller – 2026.pdf", "application/pdf", [1, 2, 3])],
        });
        var message = Reparse(composed);

        var mixed = Assert.IsType<Multipart>(message.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        var related = Assert.IsType<MultipartRelated>(alternative[1]);
        Assert.Equal("text/html", related.Root!.ContentType.MimeType);
        var image = Assert.IsType<MimePart>(related[1]);
        Assert.Equal("logo@mailroom", image.ContentId);
        Assert.True(image.ContentDisposition!.Disposition == ContentDisposition.Inline);
        using (var decoded = new MemoryStream())
        {
            image.Content!.DecodeTo(decoded, TestContext.Current.CancellationToken);
            Assert.Equal(png, decoded.ToArray());
        }

        var file = Assert.IsType<MimePart>(mixed[1]);
        Assert.Equal("Lebenslauf Müller – 2026.pdf", file.FileName);
        // RFC 2231 in the raw header, never raw UTF-8 (International is off).
        var raw = Encoding.ASCII.GetString(composed.Raw);
        Assert.Contains("filename*=utf-8''Lebenslauf%20M%C3%BCller%20%E2%80%93%202026.pdf", raw.Replace("\r\n\t", "", StringComparison.Ordinal).Replace("\r\n ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.All(composed.Raw, b => Assert.True(b < 128));
    }

    [Fact]
    public void Outgoing_html_goes_through_the_email_policy_keeping_inline_and_remote_images()
    {
        var composer = new MessageComposer(new EmailHtmlSanitizer(), new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        var composed = composer.Compose(new OutgoingMessage
        {
            From = From, To = [To], Subject = "Policy",
            Html = "<p onclick=\"steal()\">Hi<script>alert(1)</script></p><img src=\"cid:logo@mailroom\"><img src=\"https://cdn.example.com/banner.png\"><form action=\"https://evil.example\"><input name=q></form>",
            Attachments = [new("logo.png", "image/png", [0x89, 0x50, 0x4E, 0x47], "logo@mailroom")],
        });
        var html = Reparse(composed).HtmlBody!;

        Assert.DoesNotContain("script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<form", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("src=\"cid:logo@mailroom\"", html, StringComparison.Ordinal);
        Assert.Contains("src=\"https://cdn.example.com/banner.png\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_ascii_words_are_rfc2047_encoded_and_long_8bit_lines_quoted_printable()
    {
        var longLine = string.Concat(Enumerable.Repeat("Привет, это очень длинная строка без переводов. ", 60));
        var composed = Composer().Compose(new OutgoingMessage { From = From, To = [To], Subject = "Собеседование в пятницу — Übersicht", Text = longLine + "\n\nEnde." });
        var rawText = Encoding.ASCII.GetString(composed.Raw);

        Assert.All(composed.Raw, b => Assert.True(b < 128, "7-bit output"));
        // Header lines are MimeKit's folding (within RFC 5322's 998); body lines are quoted-printable's 76.
        Assert.All(rawText.Split("\r\n"), line => Assert.True(line.Length <= 998, $"line of {line.Length}: {line}"));
        Assert.All(rawText[rawText.IndexOf("\r\n\r\n", StringComparison.Ordinal)..].Split("\r\n"), line => Assert.True(line.Length <= 78, $"line of {line.Length}: {line}"));
        Assert.DoesNotContain("\n", rawText.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Subject: =?utf-8?", rawText, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Content-Transfer-Encoding: quoted-printable", rawText, StringComparison.Ordinal);
        var message = Reparse(composed);
        Assert.Equal("Собеседование в пятницу — Übersicht", message.Subject);
        Assert.Equal("Борис Иванов", ((MailboxAddress)message.To[0]).Name);
        // MimeKit's TextBody reads line ends as LF; the raw bytes are CRLF only (checked above).
        Assert.Equal(longLine + "\n\nEnde.", message.TextBody);
    }

    [Fact]
    public void International_writes_utf8_headers()
    {
        var composed = Composer().Compose(new OutgoingMessage { From = From, To = [To], Subject = "Привет", Text = "x" }, international: true);
        var raw = Encoding.UTF8.GetString(composed.Raw);
        Assert.True(composed.International);
        Assert.Contains("Subject: Привет\r\n", raw, StringComparison.Ordinal);
        Assert.Equal("Привет", Reparse(composed).Subject);
    }

    [Fact]
    public void Reply_links_the_thread_prefixes_once_and_quotes_the_original()
    {
        var original = new OriginalMessage("orig@example.org", ["root@example.org", "mid@example.org"], "Re: Interview",
            "Boris <boris@example.org>", null, new DateTimeOffset(2026, 11, 28, 15, 30, 0, TimeSpan.FromHours(1)), "Thanks!\n> earlier\nBoris", null);
        var composed = Composer().Compose(new OutgoingMessage { From = From, To = [To], Text = "See you then.", ReplyTo = original });
        var message = Reparse(composed);
        Assert.DoesNotContain("\n", Encoding.ASCII.GetString(composed.Raw).Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);

        Assert.Equal("orig@example.org", message.InReplyTo);
        Assert.Equal(["root@example.org", "mid@example.org", "orig@example.org"], message.References);
        Assert.Equal("Re: Interview", message.Subject);
        Assert.Equal(
            "See you then.\n\nOn Sat, 28 Nov 2026 15:30 +01:00, Boris <boris@example.org> wrote:\n> Thanks!\n>> earlier\n> Boris\n",
            message.TextBody);
    }

    [Fact]
    public void Forward_references_the_original_without_in_reply_to()
    {
        var original = new OriginalMessage("orig@example.org", [], "CV", "Boris <boris@example.org>", "Anna <anna@example.com>", null, "The CV.", "<p>The <b>CV</b>.</p>");
        var message = Reparse(Composer().Compose(new OutgoingMessage { From = From, To = [new("carla@example.net")], Html = "<p>FYI</p>", Forward = original }));

        Assert.Null(message.InReplyTo);
        Assert.Equal(["orig@example.org"], message.References);
        Assert.Equal("Fwd: CV", message.Subject);
        Assert.Contains("---------- Forwarded message ----------", message.HtmlBody!, StringComparison.Ordinal);
        Assert.Contains("<p>The <b>CV</b>.</p>", message.HtmlBody!, StringComparison.Ordinal);
        Assert.Contains("The CV.", message.TextBody!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(InvitationMethod.Request, 0, "REQUEST")]
    [InlineData(InvitationMethod.Request, 1, "REQUEST")]
    [InlineData(InvitationMethod.Cancel, 2, "CANCEL")]
    public void Invitation_parses_back_to_the_same_event(InvitationMethod method, int sequence, string methodName)
    {
        var invitation = new InvitationDraft(
            "interview-42@mailroom", "Собеседование: Борис Иванов", new DateTime(2026, 12, 4, 10, 0, 0), new DateTime(2026, 12, 4, 11, 30, 0),
            "Europe/Berlin", From, [To, new("carla@example.net")], "Вторая встреча", "Berlin, Raum 3", sequence, method);
        var composed = Composer().Compose(new OutgoingMessage { From = From, To = [To], Subject = "Einladung", Text = "Bitte bestätigen.", Invitation = invitation });
        var message = Reparse(composed);

        var calendarPart = Assert.IsType<TextPart>(Assert.IsType<MultipartAlternative>(message.Body).Single(p => p.ContentType.MimeType == "text/calendar"));
        Assert.Equal(methodName, calendarPart.ContentType.Parameters["method"]);
        Assert.Equal("utf-8", calendarPart.ContentType.Charset);
        Assert.Equal(ContentEncoding.QuotedPrintable, calendarPart.ContentTransferEncoding);
        Assert.Contains("SUMMARY:=D0=A1=D0=BE=D0=B1=D0=B5", Encoding.ASCII.GetString(composed.Raw), StringComparison.Ordinal);

        var calendar = Calendar.Load(calendarPart.Text)!;
        Assert.Equal(methodName, calendar.Method);
        var parsed = Assert.Single(calendar.Events);
        Assert.Equal(invitation.Uid, parsed.Uid);
        Assert.Equal(invitation.Summary, parsed.Summary);
        Assert.Equal(invitation.Description, parsed.Description);
        Assert.Equal(invitation.Location, parsed.Location);
        Assert.Equal(sequence, parsed.Sequence);
        Assert.Equal("Europe/Berlin", parsed.DtStart!.TzId);
        Assert.Equal(new DateTime(2026, 12, 4, 9, 0, 0, DateTimeKind.Utc), parsed.DtStart.AsUtc);
        Assert.Equal(new DateTime(2026, 12, 4, 10, 30, 0, DateTimeKind.Utc), parsed.DtEnd!.AsUtc);
        Assert.Equal("mailto:anna@example.com", parsed.Organizer!.Value!.ToString());
        Assert.Equal("Anna Müller", parsed.Organizer.CommonName);
        Assert.Equal(["mailto:boris@example.org", "mailto:carla@example.net"], parsed.Attendees.Select(a => a.Value!.ToString()));
        Assert.Equal("Борис Иванов", parsed.Attendees[0].CommonName);
        Assert.Equal(method == InvitationMethod.Cancel ? "CANCELLED" : "CONFIRMED", parsed.Status);
        Assert.Single(calendar.TimeZones, z => z.TzId == "Europe/Berlin");

        // Mailroom's own reader finds the same event in the sent bytes (the copy that sync brings back).
        var normalized = MessageNormalizer.Normalize(composed.Raw);
        var read = Assert.Single(normalized.CalendarEvents);
        Assert.Equal(invitation.Summary, read.Summary);
        Assert.Equal(invitation.Uid, read.Uid);
    }

    [Theory]
    [InlineData("Interview", "Re: Interview")]
    [InlineData("Re: Interview", "Re: Interview")]
    [InlineData("RE: Interview", "RE: Interview")]
    [InlineData("", "Re:")]
    public void Reply_prefix_is_never_stacked(string subject, string expected) => Assert.Equal(expected, MessageComposer.Prefixed("Re:", subject));
}
