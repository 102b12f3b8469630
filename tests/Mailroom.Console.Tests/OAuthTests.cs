using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Mailroom.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Mailroom.Console.Tests;

/// <summary>
/// Connecting a mailbox with OAuth from the console: the person goes to the test OpenID provider, signs in and
/// consents there, and comes back to the mailbox's page; Dovecot checks the token (introspection) when Mailroom logs in.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class OAuthTests(ConsoleServer server, ConsoleBrowser browser)
{
    [Fact]
    public async Task A_mailbox_connected_with_oauth_comes_back_to_its_page_syncs_and_is_authorized_again()
    {
        ConsoleServer.RequireOAuth();
        var user = ConsoleServer.OidcUser;
        var page = await browser.NewPageAsync(server.BaseUri);

        // Without signing in, the OAuth start is refused (401), and sends nobody to the provider.
        var anonymous = await page.Context.APIRequest.GetAsync(
            $"/oauth/start?provider=local&user={user}&imap={LiveServers.Host}:{LiveServers.ImapPort}&security=starttls", new() { MaxRedirects = 0 });
        Assert.Equal((int)HttpStatusCode.Unauthorized, anonymous.Status);

        await ConsoleBrowser.SignInAsync(page, ConsoleServer.Admin);
        await page.WaitForURLAsync(SignInTests.MailboxesUrl());
        var form = page.Locator("form[action='/oauth/start']");
        await form.Locator("select[name=provider]").SelectOptionAsync("local");
        await form.Locator("input[name=user]").FillAsync(user);
        await form.Locator("input[name=address]").FillAsync($"{user}@mailroom.test");
        await form.Locator("input[name=imap]").FillAsync($"{LiveServers.Host}:{LiveServers.ImapPort.ToString(CultureInfo.InvariantCulture)}");
        await form.Locator("select[name=security]").SelectOptionAsync("starttls");
        await form.Locator("input[name=name]").FillAsync("oauth-console");
        await form.GetByRole(AriaRole.Button, new() { Name = "Continue at the provider" }).ClickAsync();

        await AuthorizeAtProviderAsync(page, user);
        await page.WaitForURLAsync(new Regex(@"/mailboxes/\d+\?connected=1$"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("oauth-console");
        await Assertions.Expect(page.Locator("#mailbox-facts")).ToContainTextAsync("OAuth (local)");
        var url = page.Url;

        // The worker logs in with the token and syncs: the state becomes ok.
        await WaitForStateAsync(page, url, "ok");
        await ConsoleBrowser.AssertAccessibleAsync(page);

        // Authorize again (as for a mailbox in needs_reauth): through the provider and back to the same page, and the
        // mailbox goes on syncing with the new grant (a message delivered now arrives).
        var before = await StoredAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Authorize again: oauth-console" }).ClickAsync();
        await AuthorizeAtProviderAsync(page, user);
        await page.WaitForURLAsync(new Regex(@"/mailboxes/\d+\?connected=1$"), new() { Timeout = 30_000 });
        Assert.Equal(url, page.Url);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Authorized at local");
        await Doveadm.SaveAsync(user, "INBOX", System.Text.Encoding.ASCII.GetBytes(
            $"From: Late <late@example.org>\r\nTo: {user}@mailroom.test\r\nSubject: After reauthorization\r\nMessage-ID: <reauth-{Guid.NewGuid():N}@example.org>\r\n\r\nHi\r\n"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await StoredAsync(page) <= before)
        {
            Assert.True(DateTime.UtcNow < deadline, "the message delivered after the re-authorization was not synced");
            await Task.Delay(1000, TestContext.Current.CancellationToken);
            await page.GotoAsync(url);
        }

        // The same name again: the provider authorizes, onboarding refuses, and the console says why (a URL someone
        // crafts cannot make it say anything).
        await page.GotoAsync("/mailboxes");
        await form.Locator("select[name=provider]").SelectOptionAsync("local");
        await form.Locator("input[name=user]").FillAsync(user);
        await form.Locator("input[name=imap]").FillAsync($"{LiveServers.Host}:{LiveServers.ImapPort.ToString(CultureInfo.InvariantCulture)}");
        await form.Locator("select[name=security]").SelectOptionAsync("starttls");
        await form.Locator("input[name=name]").FillAsync("oauth-console");
        await form.GetByRole(AriaRole.Button, new() { Name = "Continue at the provider" }).ClickAsync();
        await AuthorizeAtProviderAsync(page, user);
        try
        {
            await page.WaitForURLAsync(new Regex(@"/mailboxes\?oauthError="), new() { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"not back at /mailboxes with the error: at {page.Url}: {await page.ContentAsync()}");
        }
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The OAuth connection failed:");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("oauth-console");
        await page.GotoAsync("/mailboxes?oauthError=Your%20account%20is%20suspended");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);

        // The mailbox is acme's: globex's admin cannot start its re-authorization.
        var other = await browser.SignedInPageAsync(server.BaseUri, ConsoleServer.OtherAdmin);
        var id = new Uri(url).AbsolutePath.Split('/')[^1];
        var foreign = await other.Context.APIRequest.GetAsync($"/oauth/start?mailbox={id}", new() { MaxRedirects = 0 });
        Assert.Equal((int)HttpStatusCode.NotFound, foreign.Status);
        await other.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_mailbox_whose_grant_is_revoked_at_the_provider_needs_reauthorization_and_syncs_again_once_authorized()
    {
        ConsoleServer.RequireOAuth();
        var ledger = Environment.GetEnvironmentVariable("MAILROOM_TEST_OIDC_TOKENS");
        Assert.SkipWhen(string.IsNullOrEmpty(ledger), "MAILROOM_TEST_OIDC_TOKENS (the provider's token ledger) is not set.");
        var user = ConsoleServer.OidcUser;
        var page = await browser.SignedInPageAsync(server.BaseUri, ConsoleServer.Admin);
        var form = page.Locator("form[action='/oauth/start']");
        await form.Locator("select[name=provider]").SelectOptionAsync("local");
        await form.Locator("input[name=user]").FillAsync(user);
        await form.Locator("input[name=imap]").FillAsync($"{LiveServers.Host}:{LiveServers.ImapPort.ToString(CultureInfo.InvariantCulture)}");
        await form.Locator("select[name=security]").SelectOptionAsync("starttls");
        await form.Locator("input[name=name]").FillAsync("oauth-revoked");
        // The tokens the provider hands out from here on: the first access token is this connection's.
        var mark = (await File.ReadAllLinesAsync(ledger!, TestContext.Current.CancellationToken)).Length;
        await form.GetByRole(AriaRole.Button, new() { Name = "Continue at the provider" }).ClickAsync();
        await AuthorizeAtProviderAsync(page, user);
        await page.WaitForURLAsync(new Regex(@"/mailboxes/\d+\?connected=1$"), new() { Timeout = 30_000 });
        var url = page.Url.Split('?')[0];
        await WaitForStateAsync(page, url, "ok");
        var accessToken = (await File.ReadAllLinesAsync(ledger!, TestContext.Current.CancellationToken)).Skip(mark)
            .First(l => l.StartsWith("access_token\t", StringComparison.Ordinal)).Split('\t')[1];

        // The person revokes Mailroom's access at the provider (RFC 7009; oidc-provider revokes the whole grant with
        // it, the refresh token too), and the mailbox's IMAP session ends: the next login fails, so does the refresh.
        using (var http = new HttpClient())
        {
            var revoked = await http.PostAsync(new Uri(ConsoleServer.OidcIssuer + "/token/revocation"), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["token"] = accessToken,
                ["token_type_hint"] = "access_token",
                ["client_id"] = "mailroom",
                ["client_secret"] = Environment.GetEnvironmentVariable("MAILROOM_TEST_OIDC_CLIENT_SECRET") ?? "",
            }), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }
        await Doveadm.KickAsync(user);
        await WaitForStateAsync(page, url, "needs_reauth");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("no longer accepts Mailroom's authorization");
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await Screenshots.SaveAsync(page, "mailbox-needs-reauth");
        var before = await StoredAsync(page);

        // Authorized again from the notice: back on the same page, in step, and new mail arrives.
        await page.GetByRole(AriaRole.Alert).GetByRole(AriaRole.Link, new() { Name = "Authorize again" }).ClickAsync();
        await AuthorizeAtProviderAsync(page, user);
        await page.WaitForURLAsync(new Regex(@"/mailboxes/\d+\?connected=1$"), new() { Timeout = 30_000 });
        Assert.Equal(url, page.Url.Split('?')[0]);
        await WaitForStateAsync(page, url, "ok");
        await Doveadm.SaveAsync(user, "INBOX", System.Text.Encoding.ASCII.GetBytes(
            $"From: Back <back@example.org>\r\nTo: {user}@mailroom.test\r\nSubject: After the revocation\r\nMessage-ID: <revoked-{Guid.NewGuid():N}@example.org>\r\n\r\nHi\r\n"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await StoredAsync(page) <= before)
        {
            Assert.True(DateTime.UtcNow < deadline, "the message delivered after the new authorization was not synced");
            await Task.Delay(1000, TestContext.Current.CancellationToken);
            await page.GotoAsync(url);
        }

        // The mailbox goes, so that the other OAuth test's name and counts are its own.
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove: oauth-revoked" }).ClickAsync();
        await page.Context.CloseAsync();
    }

    // The provider's own pages (oidc-provider's development interactions): sign in with any password, then consent.
    internal static async Task AuthorizeAtProviderAsync(IPage page, string user)
    {
        var issuer = new Uri(ConsoleServer.OidcIssuer);
        for (var step = 0; step < 4; step++)
        {
            await page.WaitForLoadStateAsync(LoadState.Load);
            if (new Uri(page.Url).Port != issuer.Port)
                return;
            if (await page.Locator("input[name=login]").CountAsync() > 0)
            {
                await page.Locator("input[name=login]").FillAsync(user);
                await page.Locator("input[name=password]").FillAsync("any");
            }
            await page.Locator("button[type=submit]").First.ClickAsync();
        }
    }

    private static async Task<int> StoredAsync(IPage page)
    {
        var text = await page.Locator("#mailbox-facts").InnerTextAsync();
        return int.Parse(StoredPattern().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"Stored\s+(\d+) messages")]
    private static partial Regex StoredPattern();

    private static async Task WaitForStateAsync(IPage page, string url, string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await page.GotoAsync(url);
            if (await page.Locator($".state-{state}").CountAsync() > 0)
                return;
            Assert.True(DateTime.UtcNow < deadline, $"state {state} not reached: " + await page.Locator("#mailbox-facts").InnerTextAsync());
            await Task.Delay(1000, TestContext.Current.CancellationToken);
        }
    }
}
