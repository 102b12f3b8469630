using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Mailroom.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed partial class SignInTests(ConsoleServer server, ConsoleBrowser browser)
{
    [Fact]
    public async Task Pages_need_a_signed_in_user_and_the_session_cookie_is_http_only_and_same_site_lax()
    {
        var page = await browser.NewPageAsync(server.BaseUri);
        await page.GotoAsync("/mailboxes");
        Assert.EndsWith("/signin?returnUrl=%2Fmailboxes", page.Url, StringComparison.Ordinal);
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await Screenshots.SaveAsync(page, "signin");

        await ConsoleBrowser.SignInAsync(page, ConsoleServer.Admin);
        await page.WaitForURLAsync(MailboxesUrl());
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "mailroom.session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        // Plain HTTP on loopback: Secure would make the browser drop the cookie; over HTTPS it is Secure (Mailroom.Server.Tests, SessionCookieTests).
        Assert.False(cookie.Secure);
        Assert.Equal(-1, cookie.Expires); // a session cookie: gone when the browser closes
        // Scripts on the page cannot read it.
        Assert.DoesNotContain("mailroom.session", await page.EvaluateAsync<string>("document.cookie"), StringComparison.Ordinal);

        // Signing out ends the session on the server too: a copy of the old cookie no longer opens a page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        // The redirect to the sign-in page is what is checked: wait for it to commit, not for the page's load event.
        await page.WaitForURLAsync(new Regex("/signin$"), new() { WaitUntil = WaitUntilState.Commit });
        var stale = await browser.NewPageAsync(server.BaseUri);
        await stale.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = cookie.Name, Value = cookie.Value, Domain = cookie.Domain, Path = cookie.Path }]);
        var response = await stale.Context.APIRequest.GetAsync("/mailboxes", new() { MaxRedirects = 0 });
        Assert.Equal((int)HttpStatusCode.Redirect, response.Status);
        await stale.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Wrong_passwords_are_refused_and_repeated_ones_lock_the_user_out_until_a_new_password()
    {
        var (exit, _, stderr) = await server.CliAsync(ConsoleServer.Password + "\n", "user", "add", "lena", "--org", "acme");
        Assert.True(exit == 0, stderr);
        var page = await browser.NewPageAsync(server.BaseUri);
        await ConsoleBrowser.SignInAsync(page, "lena", "wrong-password-1");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong user name or password.");
        await ConsoleBrowser.SignInAsync(page, "nobody-at-all", "wrong-password-1");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong user name or password.");
        await ConsoleBrowser.SignInAsync(page, "lena", "wrong-password-2");
        await ConsoleBrowser.SignInAsync(page, "lena", "wrong-password-3");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("locked until");
        // Locked: the right password is refused too.
        await ConsoleBrowser.SignInAsync(page, "lena");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("locked until");
        var (_, list, _) = await server.CliAsync(null, "user", "list");
        Assert.Contains("locked until", list.Split('\n').Single(l => l.Contains("lena", StringComparison.Ordinal)), StringComparison.Ordinal);

        // A new password (from standard input) ends the lockout.
        (exit, _, stderr) = await server.CliAsync("another-password-9\n", "user", "password", "lena");
        Assert.True(exit == 0, stderr);
        await ConsoleBrowser.SignInAsync(page, "lena", "another-password-9");
        await page.WaitForURLAsync(MailboxesUrl());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        var page = await browser.SignedInPageAsync(server.BaseUri, ConsoleServer.Admin);
        // The session cookie goes with it, as it would from another site's form in an older browser; the token does not.
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("name", "forged");
        var forged = await page.Context.APIRequest.PostAsync("/apikeys?handler=create", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal((int)HttpStatusCode.BadRequest, forged.Status);
        await page.GotoAsync("/apikeys");
        await Assertions.Expect(page.GetByText("forged")).ToHaveCountAsync(0);

        // The same request from the page's own form (with its token) works.
        await page.GetByLabel("Name").FillAsync("from the form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "from the form", Exact = true })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_removed_user_is_signed_out_at_the_next_request()
    {
        var (exit, _, stderr) = await server.CliAsync(ConsoleServer.Password + "\n", "user", "add", "temp", "--org", "acme");
        Assert.True(exit == 0, stderr);
        var page = await browser.SignedInPageAsync(server.BaseUri, "temp");
        (exit, _, stderr) = await server.CliAsync(null, "user", "remove", "temp");
        Assert.True(exit == 0, stderr);
        await page.GotoAsync("/mailboxes");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Members_do_not_manage_api_keys()
    {
        var page = await browser.SignedInPageAsync(server.BaseUri, ConsoleServer.Member);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "API keys" })).ToHaveCountAsync(0);
        await page.GotoAsync("/apikeys");
        Assert.Contains("/denied", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not allowed");
        await Assertions.Expect(page.GetByText("Create key")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    internal static Regex MailboxesUrl() => new("/mailboxes$");
}
