using Mailroom.Core.Sending;
using MimeKit;

namespace Mailroom.Core.Tests.Sending;

/// <summary>
/// CR, LF and NUL in any header-bound value are refused before MimeKit writes anything, with International off and
/// on; and a message with hostile but legal values re-parses to exactly the headers intended.
/// </summary>
public sealed class HeaderInjectionTests
{
    private static readonly string[] Breaks = ["\r\nBcc: victim@evil.example", "\nX-Injected: 1", "\rX-Injected: 1", "a\0b", "\r\n\r\n<html>body</html>"];

    private static readonly OutgoingMessage Valid = new()
    {
        From = new("anna@example.com", "Anna"),
        To = [new("boris@example.org", "Boris")],
        Subject = "Hello",
        Text = "Body",
    };

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var field in Mutations.Keys)
        {
            foreach (var international in new[] { false, true })
                data.Add(field, international);
        }
        return data;
    }

    private static readonly Dictionary<string, Func<string, OutgoingMessage>> Mutations = new()
    {
        ["from name"] = v => Valid with { From = new("anna@example.com", "Anna" + v) },
        ["from address"] = v => Valid with { From = new("anna@example.com" + v) },
        ["to name"] = v => Valid with { To = [new("boris@example.org", "Boris" + v)] },
        ["to address"] = v => Valid with { To = [new("boris@example.org" + v)] },
        ["cc name"] = v => Valid with { Cc = [new("carla@example.net", "Carla" + v)] },
        ["bcc address"] = v => Valid with { Bcc = [new("dan@example.net" + v)] },
        ["subject"] = v => Valid with { Subject = "Hello" + v },
        ["attachment file name"] = v => Valid with { Attachments = [new("cv" + v + ".pdf", "application/pdf", [1])] },
        ["attachment content type"] = v => Valid with { Attachments = [new("cv.pdf", "application/pdf" + v, [1])] },
        ["inline content id"] = v => Valid with { Html = "<img src=cid:x@y>", Attachments = [new("a.png", "image/png", [1], "x@y" + v)] },
        ["custom header value"] = v => Valid with { Headers = [new("X-Campaign", "spring" + v)] },
        ["custom header name"] = v => Valid with { Headers = [new("X-Campaign" + v, "spring")] },
        ["reply subject"] = v => Valid with { Subject = null, ReplyTo = new("a@b.c", [], "Interview" + v, null, null, null, null, null) },
        ["reply message id"] = v => Valid with { ReplyTo = new("a@b.c" + v, [], "Interview", null, null, null, null, null) },
        ["reply references"] = v => Valid with { ReplyTo = new("a@b.c", ["r@b.c" + v], "Interview", null, null, null, null, null) },
        ["invitation attendee name"] = v => Valid with
        {
            Invitation = new("u@x", "Call", new DateTime(2026, 12, 1, 10, 0, 0), new DateTime(2026, 12, 1, 11, 0, 0), null,
                new("anna@example.com"), [new("boris@example.org", "Boris" + v)]),
        },
        ["invitation uid"] = v => Valid with
        {
            Invitation = new("u@x" + v, "Call", new DateTime(2026, 12, 1, 10, 0, 0), new DateTime(2026, 12, 1, 11, 0, 0), null,
                new("anna@example.com"), [new("boris@example.org")]),
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Line_breaks_and_nul_are_refused(string field, bool international)
    {
        foreach (var injected in Breaks)
        {
            var draft = Mutations[field](injected);
            var ex = Assert.Throws<InvalidMessageException>(() => ComposerTests.Composer().Compose(draft, international));
            Assert.NotEmpty(ex.Problems);
            // The error itself stays on one line (the injected text is shown escaped).
            Assert.DoesNotContain('\n', ex.Message);
            Assert.DoesNotContain('\r', ex.Message);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Hostile_but_legal_values_reparse_to_exactly_the_intended_headers(bool international)
    {
        var name = "Boris \"The Boss\" Иванов, <admin@evil.example>; Bcc: x@evil.example";
        var subject = "Re: Bcc: victim@evil.example\tX-Injected: 1" + string.Concat(Enumerable.Repeat(" lorem ipsum", 30));
        var composed = ComposerTests.Composer().Compose(Valid with
        {
            To = [new("boris@example.org", name)],
            Bcc = [new("hidden@example.net")],
            Subject = subject,
            Headers = [new("X-Note", "Bcc: a@b.c; Subject: other")],
            Attachments = [new("Bcc: x.txt; name=evil.exe", "text/plain", [65])],
        }, international);
        var message = ComposerTests.Reparse(composed);

        Assert.Equal(
            ["From", "Date", "Subject", "Message-Id", "To", "X-Note", "MIME-Version"],
            message.Headers.Select(h => h.Field));
        Assert.Equal(["Content-Type"], message.Body!.Headers.Select(h => h.Field));
        var to = Assert.IsType<MailboxAddress>(Assert.Single(message.To));
        Assert.Equal(("boris@example.org", name), (to.Address, to.Name));
        Assert.Empty(message.Bcc);
        Assert.Equal(subject, message.Subject);
        Assert.Equal("Bcc: a@b.c; Subject: other", message.Headers["X-Note"]);
        var attachment = Assert.Single(message.Attachments);
        Assert.Equal("Bcc: x.txt; name=evil.exe", attachment.ContentDisposition!.FileName);
        Assert.Equal(["boris@example.org", "hidden@example.net"], composed.Recipients);
    }

    [Theory]
    [InlineData("plain@example.com", true)]
    [InlineData("o'neil+tag@sub.example.co.uk", true)]
    [InlineData("юзер@пример.рф", true)]
    [InlineData("user@bücher.de", true)]
    [InlineData("no-at-sign", false)]
    [InlineData("two@@example.com", false)]
    [InlineData("space in@example.com", false)]
    [InlineData("a@b@example.com", false)]
    [InlineData(".dot@example.com", false)]
    [InlineData("user@-bad-.com", false)]
    [InlineData("user@", false)]
    [InlineData("<user@example.com>", false)]
    [InlineData("user@exa mple.com", false)]
    public void Addresses_are_validated(string address, bool valid) => Assert.Equal(valid, DraftValidator.IsValidAddress(address));
}
