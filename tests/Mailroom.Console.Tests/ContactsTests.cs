using System.Text;
using Microsoft.Playwright;

namespace Mailroom.Console.Tests;

/// <summary>Contacts: importing a CSV file (the rejected rows listed by line) and finding contacts in the list.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ContactsTests(ConsoleServer server, ConsoleBrowser browser)
{
    [Fact]
    public async Task A_csv_import_saves_the_good_rows_lists_the_rejected_ones_by_line_and_the_list_finds_them()
    {
        var page = await browser.SignedInPageAsync(server.BaseUri, ConsoleServer.Admin);
        await page.GotoAsync("/contacts");
        var csv = "external_id,name,email\r\n"
            + "imp-1,Irma Import,irma@import.example\r\n"              // line 2
            + "imp-2,Bad Address,not-an-address\r\n"                   // line 3: rejected
            + "\r\n"                                                   // line 4: blank, skipped
            + "imp-3,\"Third, Person\",third@import.example;third2@import.example\r\n" // line 5
            + ",No Id,noid@import.example\r\n"                         // line 6: rejected
            + "imp-1,Irma Again,irma2@import.example\r\n";             // line 7: rejected (imp-1 twice)
        await page.Locator("input[name=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "people.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        var summary = page.Locator("#import-summary");
        await Assertions.Expect(summary).ToContainTextAsync("Imported 2 contacts from people.csv");
        await Assertions.Expect(summary).ToContainTextAsync("3 rows rejected");
        var rejected = summary.Locator("tr.rejected");
        await Assertions.Expect(rejected).ToHaveCountAsync(3);
        await Assertions.Expect(rejected.Nth(0)).ToContainTextAsync("3");
        await Assertions.Expect(rejected.Nth(0)).ToContainTextAsync("'not-an-address' is not an email address");
        await Assertions.Expect(rejected.Nth(1)).ToContainTextAsync("6");
        await Assertions.Expect(rejected.Nth(1)).ToContainTextAsync("the external id is empty");
        await Assertions.Expect(rejected.Nth(2)).ToContainTextAsync("7");
        await Assertions.Expect(rejected.Nth(2)).ToContainTextAsync("external id 'imp-1' already appears on line 2");
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await Screenshots.SaveAsync(page, "contacts-import");

        // Found by a part of an address, by name whatever the case, by another of its addresses; nothing else listed.
        var ids = page.Locator("tbody tr td:first-child");
        await FindAsync(page, "import.example");
        await Assertions.Expect(ids).ToHaveTextAsync(["imp-1", "imp-3"]);
        await FindAsync(page, "IRMA");
        await Assertions.Expect(ids).ToHaveTextAsync(["imp-1"]);
        await FindAsync(page, "third2@");
        await Assertions.Expect(ids).ToHaveTextAsync(["imp-3"]);
        Assert.Contains("q=third2%40", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("tbody")).ToContainTextAsync("Third, Person");
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await FindAsync(page, "nobody-has-this");
        await Assertions.Expect(page.GetByText("No contact's id, name or address contains")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Show all" }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody")).ToContainTextAsync("imp-3");

        // Another organization finds none of them.
        var other = await browser.SignedInPageAsync(server.BaseUri, ConsoleServer.OtherAdmin);
        await other.GotoAsync("/contacts?q=import.example");
        await Assertions.Expect(other.Locator("tbody tr")).ToHaveCountAsync(0);
        await other.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    private static async Task FindAsync(IPage page, string text)
    {
        var form = page.Locator("main form.search");
        await form.GetByLabel("Find a contact").FillAsync(text);
        await form.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("q=", StringComparison.Ordinal));
    }
}
