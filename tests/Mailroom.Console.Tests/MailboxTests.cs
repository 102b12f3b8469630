using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Mailroom.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Mailroom.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed partial class MailboxTests(ConsoleServer server, ConsoleBrowser browser)
{
    private const int Messages = 40;

    [Fact]
    public async Task A_mailbox_connected_by_password_syncs_with_live_progress_and_other_organizations_get_404()
    {
        var user = ConsoleServer.MailUser;
        await Doveadm.ResetUserAsync(user);
        for (var i = 1; i <= Messages - 1; i++)
            await Doveadm.SaveAsync(user, "INBOX", Message(user, i));
        await Doveadm.SaveAsync(user, "INBOX", Reply(user));

        var page = await browser.SignedInPageAsync(server.BaseUri, ConsoleServer.Admin);
        await ConsoleBrowser.AssertAccessibleAsync(page);

        // A wrong password: the login is checked first, nothing is stored, and the form keeps what was typed but the password.
        await FillConnectAsync(page, user, "not-the-password");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not connected");
        Assert.Equal($"{user}@mailroom.test", await page.Locator("input[name='Connect.Address']").InputValueAsync());
        Assert.Equal("", await page.Locator("input[name='Connect.Password']").InputValueAsync());

        await Screenshots.SaveAsync(page, "connect-refused");
        await FillConnectAsync(page, user, user + "pass");
        await page.WaitForURLAsync(new Regex(@"/mailboxes/\d+$"));
        var id = long.Parse(page.Url.Split('/')[^1], CultureInfo.InvariantCulture);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Connected");

        // The page follows the first sync by itself (no reload) until it has every message.
        await Assertions.Expect(page.GetByTestId("progress-messages")).ToHaveTextAsync($"{Messages} of {Messages} — finished", new() { Timeout = 60_000 });
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "INBOX", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#mailbox-facts")).ToContainTextAsync($"{Messages} messages");
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await Screenshots.SaveAsync(page, "mailbox");
        // Times are shown in the viewer's zone (the browser is in Berlin; the server writes UTC).
        var shown = await page.Locator("time").First.TextContentAsync();
        Assert.DoesNotContain("UTC", shown, StringComparison.Ordinal);

        // On a phone-sized screen, the list is usable and passes axe as well.
        var phone = await browser.SignedInPageAsync(server.BaseUri, ConsoleServer.Admin, phone: true);
        await Assertions.Expect(phone.GetByRole(AriaRole.Link, new() { Name = $"{user}@127.0.0.1" })).ToBeVisibleAsync();
        await ConsoleBrowser.AssertAccessibleAsync(phone);
        await Screenshots.SaveAsync(phone, "mailboxes-phone");
        await phone.Context.CloseAsync();

        // Another organization's admin gets 404 for this mailbox: its page, its progress, and its actions.
        var other = await browser.SignedInPageAsync(server.BaseUri, ConsoleServer.OtherAdmin);
        await Assertions.Expect(other.GetByText("No mailboxes yet")).ToBeVisibleAsync();
        Assert.Equal((int)HttpStatusCode.NotFound, (await other.GotoAsync($"/mailboxes/{id}"))!.Status);
        Assert.Equal((int)HttpStatusCode.NotFound, (await other.Context.APIRequest.GetAsync($"/mailboxes/{id}?handler=progress")).Status);
        await other.GotoAsync("/mailboxes");
        var token = await other.Locator("input[name=__RequestVerificationToken]").First.InputValueAsync();
        var form = other.Context.APIRequest.CreateFormData();
        form.Set("id", id.ToString(CultureInfo.InvariantCulture));
        form.Set("__RequestVerificationToken", token);
        var pause = await other.Context.APIRequest.PostAsync("/mailboxes?handler=pause", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal((int)HttpStatusCode.NotFound, pause.Status);
        await other.Context.CloseAsync();

        // A contact: added in the console, linked to the synced mail, its timeline paged newest first; edited, linked again.
        await page.GotoAsync("/contacts");
        await page.Locator("input[name='Form.ExternalId']").FillAsync("C-3");
        await page.Locator("input[name='Form.Name']").FillAsync("Candidate Three");
        await page.Locator("textarea[name='Form.Addresses']").FillAsync("candidate3@example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add contact" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Added Candidate Three: linked to 1 stored messages.");
        Assert.EndsWith("/contact?id=C-3", page.Url, StringComparison.Ordinal);
        var entries = page.Locator("ol.timeline > li");
        await Assertions.Expect(entries).ToHaveCountAsync(1);
        await Assertions.Expect(entries.First).ToContainTextAsync("Application 3");
        await ConsoleBrowser.AssertAccessibleAsync(page);
        var addresses = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"candidate{i}@example.org"));
        await page.Locator("textarea[name='Form.Addresses']").FillAsync(addresses);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved: 29 messages linked, 0 unlinked.");
        // 25 per page, newest first: application 30 leads; the older page holds 5 down to 1.
        await Assertions.Expect(entries).ToHaveCountAsync(25);
        await Assertions.Expect(entries.First).ToContainTextAsync("Application 30");
        await page.GetByRole(AriaRole.Link, new() { Name = "Older mail" }).ClickAsync();
        await Assertions.Expect(entries).ToHaveCountAsync(5);
        await Assertions.Expect(entries.Last).ToContainTextAsync("Application 1");
        await Screenshots.SaveAsync(page, "contact");
        var otherContact = await browser.SignedInPageAsync(server.BaseUri, ConsoleServer.OtherAdmin);
        Assert.Equal((int)HttpStatusCode.NotFound, (await otherContact.GotoAsync("/contact?id=C-3"))!.Status);
        await otherContact.Context.CloseAsync();

        // A conversation from a contact's timeline: both messages in order, why each is there, its folder, the body in the
        // sandboxed view with remote content blocked (and the choice to load it), the attachment as a download.
        await page.GotoAsync("/contacts");
        await page.Locator("input[name='Form.ExternalId']").FillAsync("C-39");
        await page.Locator("input[name='Form.Name']").FillAsync("Candidate 39");
        await page.Locator("textarea[name='Form.Addresses']").FillAsync("candidate39@example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add contact" }).ClickAsync();
        await Assertions.Expect(entries).ToHaveCountAsync(2);
        await entries.First.GetByRole(AriaRole.Link, new() { Name = "Re: Application 39" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/threads/\d+#message-\d+$"));
        var messages = page.Locator("li.message");
        await Assertions.Expect(messages).ToHaveCountAsync(2);
        await Assertions.Expect(messages.Nth(0).GetByTestId("why")).ToHaveTextAsync("started the thread");
        await Assertions.Expect(messages.Nth(1).GetByTestId("why")).ToContainTextAsync("replies to");
        await Assertions.Expect(messages.Nth(1)).ToContainTextAsync("INBOX");
        var view = page.FrameLocator("#" + await messages.Nth(1).GetAttributeAsync("id") + " iframe.message-view");
        await Assertions.Expect(view.Locator(".bar")).ToContainTextAsync("1 remote resource(s) blocked, 1 tracking pixel(s) removed");
        await Assertions.Expect(view.GetByRole(AriaRole.Link, new() { Name = "Show remote images" })).ToBeVisibleAsync();
        await Assertions.Expect(view.FrameLocator("iframe").Locator("body")).ToContainTextAsync("Here is my CV.");
        var first = page.FrameLocator("#" + await messages.Nth(0).GetAttributeAsync("id") + " iframe.message-view");
        await Assertions.Expect(first.FrameLocator("iframe").Locator("body")).ToContainTextAsync("Hello, this is application number 39.");
        var download = await page.RunAndWaitForDownloadAsync(() => messages.Nth(1).GetByRole(AriaRole.Link, new() { Name = "cv.pdf" }).ClickAsync());
        Assert.Equal("cv.pdf", download.SuggestedFilename);
        Assert.Equal("%PDF-1.4 console test cv", await File.ReadAllTextAsync((await download.PathAsync())!, TestContext.Current.CancellationToken));
        // The email's own HTML (inside the sandboxed frames) is the sender's, not the console's: axe checks the page around it.
        await ConsoleBrowser.AssertAccessibleAsync(page, exclude: "iframe.message-view");
        await Screenshots.SaveAsync(page, "conversation");
        var threadUrl = page.Url.Split('#')[0];
        var otherThread = await browser.SignedInPageAsync(server.BaseUri, ConsoleServer.OtherAdmin);
        Assert.Equal((int)HttpStatusCode.NotFound, (await otherThread.GotoAsync(threadUrl))!.Status);
        var attachmentPath = await messages.Nth(1).GetByRole(AriaRole.Link, new() { Name = "cv.pdf" }).GetAttributeAsync("href");
        Assert.Equal((int)HttpStatusCode.NotFound, (await otherThread.Context.APIRequest.GetAsync(attachmentPath!)).Status);
        await otherThread.Context.CloseAsync();

        // Reply with an attachment: composed and queued through the outbox, sent through Postfix (its reply shown), and
        // delivered: the mailbox syncs it back into the same conversation, attachment and all.
        await messages.Nth(1).GetByRole(AriaRole.Link, new() { Name = "Reply: Re: Application 39" }).ClickAsync();
        await Assertions.Expect(page.Locator("input[name='Form.To']")).ToHaveValueAsync("candidate39@example.org");
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await page.Locator("input[name='Form.To']").FillAsync($"{user}@mailroom.test");
        await page.Locator("textarea[name='Form.Text']").FillAsync("Thank you, our offer is attached.");
        await page.Locator("input[name=attachments]").SetInputFilesAsync(new FilePayload
        {
            Name = "offer.txt", MimeType = "text/plain", Buffer = Encoding.UTF8.GetBytes("Offer: 1 job, starting Monday."),
        });
        await Screenshots.SaveAsync(page, "compose");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/outbox/\d+$"));
        var outboxUrl = page.Url;
        var sentBy = DateTime.UtcNow.AddSeconds(60);
        while (await page.GetByTestId("outbox-state").TextContentAsync() != "sent")
        {
            Assert.True(DateTime.UtcNow < sentBy, "not sent: " + await page.Locator("#outbox-facts").InnerTextAsync());
            await Task.Delay(1000, TestContext.Current.CancellationToken);
            await page.GotoAsync(outboxUrl);
        }
        await Assertions.Expect(page.GetByTestId("outbox-reply")).ToContainTextAsync("250");
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await Screenshots.SaveAsync(page, "outbox");
        var arrivedBy = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await page.GotoAsync(threadUrl);
            if (await messages.CountAsync() == 3)
                break;
            Assert.True(DateTime.UtcNow < arrivedBy, "the reply did not arrive in the conversation");
            await Task.Delay(1000, TestContext.Current.CancellationToken);
        }
        await Assertions.Expect(messages.Nth(2)).ToContainTextAsync("Re: Application 39");
        await Assertions.Expect(messages.Nth(2).GetByRole(AriaRole.Link, new() { Name = "offer.txt" })).ToBeVisibleAsync();
        await Assertions.Expect(messages.Nth(2).GetByTestId("why")).ToContainTextAsync("replies to");
        await Assertions.Expect(messages.Nth(2)).ToContainTextAsync("INBOX");

        // Pause and resume from the mailbox's page: the state survives a reload.
        await page.GotoAsync($"/mailboxes/{id}");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Pause: {user}@127.0.0.1" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Paused.");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#mailbox-facts")).ToContainTextAsync("(paused)");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Resume: {user}@127.0.0.1" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Resumed.");
        await page.GotoAsync("/mailboxes");
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await Screenshots.SaveAsync(page, "mailboxes");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_api_key_is_shown_once_works_and_stops_working_when_revoked()
    {
        var page = await browser.SignedInPageAsync(server.BaseUri, ConsoleServer.Admin);
        await page.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await page.GetByLabel("Name").FillAsync("ats");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var key = (await page.Locator("#new-key").TextContentAsync())!.Trim();
        Assert.StartsWith("mr_", key, StringComparison.Ordinal);
        TestArtifacts.RecordSecrets("apikey", key);
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await Screenshots.SaveAsync(page, "apikeys");

        using var http = new HttpClient { BaseAddress = server.BaseUri };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/v1/mailboxes", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);

        // Shown once: the list has its prefix only.
        await page.GotoAsync("/apikeys");
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke: ats" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Revoked ats");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("/v1/mailboxes", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        await page.Context.CloseAsync();
    }

    internal static async Task FillConnectAsync(IPage page, string user, string password)
    {
        await page.Locator("input[name='Connect.Address']").FillAsync($"{user}@mailroom.test");
        await page.Locator("input[name='Connect.Password']").FillAsync(password);
        var settings = page.Locator("details");
        if (await settings.GetAttributeAsync("open") is null)
            await settings.Locator("summary").ClickAsync();
        await page.Locator("input[name='Connect.Host']").FillAsync(LiveServers.Host);
        await page.Locator("input[name='Connect.Port']").FillAsync(LiveServers.ImapPort.ToString(CultureInfo.InvariantCulture));
        await page.Locator("select[name='Connect.Security']").SelectOptionAsync("starttls");
        await page.Locator("input[name='Connect.UserName']").FillAsync(user);
        await page.Locator("input[name='Connect.SmtpHost']").FillAsync(LiveServers.Host);
        await page.Locator("input[name='Connect.SmtpPort']").FillAsync(LiveServers.SmtpPort.ToString(CultureInfo.InvariantCulture));
        await page.Locator("select[name='Connect.SmtpSecurity']").SelectOptionAsync("starttls");
        await page.Locator("input[name='Connect.SmtpUserName']").FillAsync($"{user}@mailroom.test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();
    }

    // Candidate 39 answers in HTML with a tracking pixel, a remote image and a CV attached.
    private static byte[] Reply(string user) => Encoding.ASCII.GetBytes(
        $"From: Candidate 39 <candidate39@example.org>\r\nTo: {user}@mailroom.test\r\nSubject: Re: Application 39\r\n"
        + "Date: Mon, 30 Nov 2026 10:00:00 +0000\r\nMessage-ID: <console-reply@example.org>\r\nIn-Reply-To: <console-39@example.org>\r\n"
        + "References: <console-39@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
        + "--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        + "<p>Here is my CV.</p><img src=\"https://images.example.net/portrait.jpg\" alt=\"me\">"
        + "<img src=\"https://tracker.example.net/open.gif\" width=\"1\" height=\"1\">\r\n"
        + "--b1\r\nContent-Type: application/pdf; name=\"cv.pdf\"\r\nContent-Disposition: attachment; filename=\"cv.pdf\"\r\n"
        + "Content-Transfer-Encoding: base64\r\n\r\n" + Convert.ToBase64String(Encoding.ASCII.GetBytes("%PDF-1.4 console test cv")) + "\r\n--b1--\r\n");

    private static byte[] Message(string user, int i) => Encoding.ASCII.GetBytes(
        $"From: Candidate {i} <candidate{i}@example.org>\r\nTo: {user}@mailroom.test\r\nSubject: Application {i}\r\n"
        + $"Date: {new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero).AddHours(i).ToString("r", CultureInfo.InvariantCulture)}\r\n"
        + $"Message-ID: <console-{i}@example.org>\r\n\r\nHello, this is application number {i}.\r\n");
}
