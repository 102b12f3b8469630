using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Mailroom.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Mailroom.Console.Tests;

/// <summary>The search box in every page's header, the search page over synced mail, and opening a result.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SearchTests(ConsoleServer server, ConsoleBrowser browser)
{
    [Fact]
    public async Task The_header_search_finds_synced_mail_highlights_it_safely_and_opens_the_conversation()
    {
        // An organization of its own, whose one mailbox holds what is searched for.
        await server.AddUserAsync("sara", "umbrella", "admin");
        var user = ConsoleServer.MailUser;
        var word = "zeppelin" + Guid.NewGuid().ToString("N")[..6];
        await Doveadm.SaveAsync(user, "INBOX", Mail("Rita Recruiter <rita@search.example>", $"Quarterly {word} report",
            $"The {word} flies on Monday; Grüße aus München.", "search-1"));
        await Doveadm.SaveAsync(user, "INBOX", Mail("Mallory <mallory@search.example>", $"<b>bold</b> {word} <script>alert(1)</script>",
            $"<img src=x onerror=alert(2)> {word} here", "search-2"));

        var page = await browser.SignedInPageAsync(server.BaseUri, "sara");
        await MailboxTests.FillConnectAsync(page, user, user + "pass");
        await page.WaitForURLAsync(new Regex(@"/mailboxes/\d+$"));
        var mailboxUrl = page.Url;

        // From any page: the header's box.
        await page.GotoAsync("/contacts");
        var hits = page.Locator("li.hit");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search mail" }).FillAsync(word);
            await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search mail" }).PressAsync("Enter");
            await page.WaitForURLAsync(new Regex(@"/search\?q="));
            if (await hits.CountAsync() == 2)
                break;
            Assert.True(DateTime.UtcNow < deadline, "the synced mail was not found: " + await page.Locator("main").InnerTextAsync());
            await Task.Delay(1000, TestContext.Current.CancellationToken);
        }
        // The query stays in the box; newest first; the matches are marked.
        Assert.Equal(word, await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search mail" }).InputValueAsync());
        await Assertions.Expect(hits.Nth(0)).ToContainTextAsync("<b>bold</b>");
        await Assertions.Expect(hits.Nth(1)).ToContainTextAsync("Quarterly");
        await Assertions.Expect(hits.Nth(1).Locator("mark").First).ToHaveTextAsync(word);
        // What the sender wrote is text: no element of theirs, no script ran.
        Assert.Equal(0, await page.Locator("li.hit b, li.hit script, li.hit img").CountAsync());
        await Assertions.Expect(hits.Nth(0)).ToContainTextAsync("<script>alert(1)</script>");
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await Screenshots.SaveAsync(page, "search");

        // Filters, a phrase, and a query that cannot be read.
        await SearchAsync(page, $"from:rita@search.example {word}");
        await Assertions.Expect(hits).ToHaveCountAsync(1);
        await SearchAsync(page, "\"Grüße aus München\"");
        await Assertions.Expect(hits).ToHaveCountAsync(1);
        await SearchAsync(page, $"\"{word} report");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This search cannot be run:");
        await SearchAsync(page, $"colour:blue {word}");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("colour");

        // Open a result: its conversation, at the message.
        await SearchAsync(page, $"subject:quarterly {word}");
        await hits.First.GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/threads/\d+#message-\d+$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync($"Quarterly {word} report");

        // Another organization finds nothing of it.
        var other = await browser.SignedInPageAsync(server.BaseUri, ConsoleServer.OtherAdmin);
        await other.GotoAsync("/search?q=" + Uri.EscapeDataString(word));
        await Assertions.Expect(other.Locator("#no-hits")).ToBeVisibleAsync();
        Assert.Equal((int)HttpStatusCode.NotFound, (await other.GotoAsync(page.Url))!.Status);
        await other.Context.CloseAsync();

        // The mailbox goes, so that it stops holding a connection to the test user.
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync(mailboxUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove: {user}@127.0.0.1" }).ClickAsync();
        await page.Context.CloseAsync();
    }

    private static async Task SearchAsync(IPage page, string query)
    {
        await page.GotoAsync("/search?q=" + Uri.EscapeDataString(query));
    }

    private static byte[] Mail(string from, string subject, string body, string id) => Encoding.UTF8.GetBytes(
        $"From: {from}\r\nTo: {ConsoleServer.MailUser}@mailroom.test\r\nSubject: =?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(subject))}?=\r\n"
        + $"Date: {DateTimeOffset.UtcNow.AddMinutes(id == "search-2" ? 1 : 0).ToString("r", CultureInfo.InvariantCulture)}\r\n"
        + $"Message-ID: <{id}-{Guid.NewGuid():N}@search.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        + "Content-Transfer-Encoding: 8bit\r\n\r\n" + body + "\r\n");
}
