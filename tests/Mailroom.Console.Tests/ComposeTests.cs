using System.Text;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Mailroom.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;

namespace Mailroom.Console.Tests;

/// <summary>
/// Compose with an HTML body, an inline image and a calendar invitation: queued through the outbox, sent through
/// Postfix, and read back from the recipient's mailbox at Dovecot as the MIME a mail client gets.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ComposeTests(ConsoleServer server, ConsoleBrowser browser)
{
    // A 1x1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Fact]
    public async Task An_html_message_with_an_inline_image_and_an_invitation_arrives_as_multipart_related_with_text_calendar()
    {
        await server.AddUserAsync("gavin", "hooli", "admin");
        var user = ConsoleServer.MailUser;
        var tag = Guid.NewGuid().ToString("N")[..8];
        var page = await browser.SignedInPageAsync(server.BaseUri, "gavin");
        await MailboxTests.FillConnectAsync(page, user, user + "pass");
        await page.WaitForURLAsync(new Regex(@"/mailboxes/\d+$"));
        var mailboxUrl = page.Url;

        await page.GetByRole(AriaRole.Link, new() { Name = "New message" }).ClickAsync();
        await page.Locator("input[name='Form.To']").FillAsync($"Candidate <{user}@mailroom.test>");
        await page.Locator("input[name='Form.Subject']").FillAsync($"Interview {tag}");
        await page.Locator("textarea[name='Form.Html']").FillAsync(
            "<p>Hello <b>there</b>, see you soon.</p><img src=\"cid:logo.png\" alt=\"Logo\"><script>alert(1)</script>");
        await page.Locator("input[name=inline]").SetInputFilesAsync(new FilePayload { Name = "logo.png", MimeType = "image/png", Buffer = Png });
        await page.GetByText("Calendar invitation").ClickAsync();
        // The time zone is the viewer's (the browser is in Berlin).
        await Assertions.Expect(page.Locator("input[name='Form.EventTimeZone']")).ToHaveValueAsync("Europe/Berlin");
        await page.Locator("input[name='Form.EventSummary']").FillAsync($"Interview {tag}");
        await page.Locator("input[name='Form.EventStart']").FillAsync("2026-12-15T11:00");
        await page.Locator("input[name='Form.EventEnd']").FillAsync("2026-12-15T10:00");
        await page.Locator("input[name='Form.EventLocation']").FillAsync("Room 4");
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await Screenshots.SaveAsync(page, "compose-html");

        // An end before the start: refused with the reason, what was typed kept.
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("the end must be after the start");
        await Assertions.Expect(page.Locator("input[name='Form.EventSummary']")).ToHaveValueAsync($"Interview {tag}");
        await page.Locator("input[name='Form.EventStart']").FillAsync("2026-12-15T10:00");
        await page.Locator("input[name='Form.EventEnd']").FillAsync("2026-12-15T11:00");
        await page.Locator("input[name=inline]").SetInputFilesAsync(new FilePayload { Name = "logo.png", MimeType = "image/png", Buffer = Png });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/outbox/\d+$"));
        var outboxUrl = page.Url;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await page.GetByTestId("outbox-state").TextContentAsync() != "sent")
        {
            Assert.True(DateTime.UtcNow < deadline, "not sent: " + await page.Locator("#outbox-facts").InnerTextAsync());
            await Task.Delay(1000, TestContext.Current.CancellationToken);
            await page.GotoAsync(outboxUrl);
        }
        await Assertions.Expect(page.GetByTestId("outbox-reply")).ToContainTextAsync("250");

        // What the recipient's mail client gets.
        var message = await ReceivedAsync(user, $"Interview {tag}");
        var image = message.BodyParts.OfType<MimePart>().Single(p => p.ContentType.MimeType == "image/png");
        Assert.Equal("logo.png@inline.mailroom", image.ContentId);
        Assert.Contains("cid:logo.png@inline.mailroom", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", message.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Hello there, see you soon.", message.TextBody, StringComparison.Ordinal);
        // The image sits in a multipart/related with the HTML it belongs to.
        var entities = new List<MimeEntity>();
        using (var iterator = new MimeIterator(message))
            while (iterator.MoveNext())
                entities.Add(iterator.Current);
        var related = entities.OfType<MultipartRelated>().Single();
        Assert.Contains(image, related);
        var calendar = message.BodyParts.OfType<TextPart>().Single(p => p.ContentType.MimeType == "text/calendar");
        Assert.Equal("REQUEST", calendar.ContentType.Parameters["method"], ignoreCase: true);
        var ics = calendar.Text.Replace("\r\n ", "", StringComparison.Ordinal);
        Assert.Contains($"SUMMARY:Interview {tag}", ics, StringComparison.Ordinal);
        Assert.Contains("DTSTART;TZID=Europe/Berlin:20261215T100000", ics, StringComparison.Ordinal);
        Assert.Contains("LOCATION:Room 4", ics, StringComparison.Ordinal);
        Assert.Contains($"mailto:{user}@mailroom.test", ics, StringComparison.OrdinalIgnoreCase);

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync(mailboxUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove: {user}@127.0.0.1" }).ClickAsync();
        await page.Context.CloseAsync();
    }

    private static async Task<MimeMessage> ReceivedAsync(string user, string subject)
    {
        using var client = new ImapClient();
        await client.ConnectAsync(LiveServers.Host, LiveServers.ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(user, user + "pass");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            if ((await client.Inbox.SearchAsync(SearchQuery.SubjectContains(subject))) is { Count: > 0 } found)
                return await client.Inbox.GetMessageAsync(found[^1]);
            await client.Inbox.CloseAsync();
            Assert.True(DateTime.UtcNow < deadline, $"'{subject}' did not arrive in {user}'s INBOX");
            await Task.Delay(1000, TestContext.Current.CancellationToken);
        }
    }
}
