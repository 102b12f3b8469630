using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Mailroom.Console.Tests;

/// <summary>
/// Signing in to the console through the test OpenID provider (Console:OpenIdConnect): a person whose verified
/// address is @mailroom.test becomes a member of acme at the first sign-in and is the same user at the next; an
/// unverified address, or one of a domain no organization takes, is refused with the reason; password users keep
/// signing in with their passwords.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class SingleSignOnTests(ConsoleServer server, ConsoleBrowser browser)
{
    [Fact]
    public async Task A_person_signed_in_at_the_provider_is_added_to_the_organization_of_their_domain_once()
    {
        ConsoleServer.RequireOAuth();
        var login = "sso-" + Guid.NewGuid().ToString("N")[..8];
        var name = login + "@mailroom.test";

        var page = await browser.NewPageAsync(server.BaseUri);
        await page.GotoAsync("/mailboxes");
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with " + ConsoleServer.SsoName }).ClickAsync();
        await OAuthTests.AuthorizeAtProviderAsync(page, login);
        // Back where the person was going, signed in as the new user.
        await page.WaitForURLAsync(SignInTests.MailboxesUrl(), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator(".who")).ToHaveTextAsync(name);
        var users = await UsersNamedAsync(name);
        Assert.Single(users);
        Assert.Equal("acme", users[0].GetProperty("organization").GetString());
        Assert.Equal("member", users[0].GetProperty("role").GetString());
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "mailroom.session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);

        // Signed out and in again at the provider: the same user, not a second one.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/signin$"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with " + ConsoleServer.SsoName }).ClickAsync();
        await OAuthTests.AuthorizeAtProviderAsync(page, login);
        await page.WaitForURLAsync(SignInTests.MailboxesUrl(), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator(".who")).ToHaveTextAsync(name);
        Assert.Single(await UsersNamedAsync(name));
        await page.Context.CloseAsync();

        // The provisioned user has no password: a password sign-in with their name is refused like any wrong one.
        var local = await browser.NewPageAsync(server.BaseUri);
        await ConsoleBrowser.SignInAsync(local, name, ConsoleServer.Password);
        await Assertions.Expect(local.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong user name or password.");
        // Password users keep signing in with their password.
        await ConsoleBrowser.SignInAsync(local, ConsoleServer.Member);
        await local.WaitForURLAsync(SignInTests.MailboxesUrl());
        await local.Context.CloseAsync();
    }

    [Theory]
    [InlineData("unverified-", "has not verified your email address")]
    [InlineData("elsewhere@other.example", "domain is not one whose people may sign in here")]
    public async Task A_person_the_rule_does_not_admit_is_refused_with_the_reason_and_no_user_is_added(string login, string reason)
    {
        ConsoleServer.RequireOAuth();
        if (login.EndsWith('-'))
            login += Guid.NewGuid().ToString("N")[..8];
        var page = await browser.NewPageAsync(server.BaseUri);
        await page.GotoAsync("/signin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with " + ConsoleServer.SsoName }).ClickAsync();
        await OAuthTests.AuthorizeAtProviderAsync(page, login);
        await page.WaitForURLAsync(new Regex(@"/signin\?sso="), new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(reason);
        await ConsoleBrowser.AssertAccessibleAsync(page);
        // Not signed in: a page still sends the person to sign in.
        Assert.Equal(302, (await page.Context.APIRequest.GetAsync("/mailboxes", new() { MaxRedirects = 0 })).Status);
        Assert.Empty(await UsersNamedAsync(login.Contains('@', StringComparison.Ordinal) ? login : login + "@mailroom.test"));

        // The reason travels as a word: a crafted one shows nothing.
        await page.GotoAsync("/signin?sso=%3Cb%3EYour%20account%20is%20suspended%3C%2Fb%3E");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    private async Task<List<JsonElement>> UsersNamedAsync(string name)
    {
        var (exit, stdout, stderr) = await server.CliAsync(null, "user", "list", "--json");
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        return [.. json.RootElement.EnumerateArray().Where(u => u.GetProperty("name").GetString() == name).Select(u => u.Clone())];
    }
}
