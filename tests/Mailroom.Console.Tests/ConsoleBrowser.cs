using Deque.AxeCore.Playwright;
using Mailroom.IntegrationTests.Html;
using Microsoft.Playwright;

namespace Mailroom.Console.Tests;

/// <summary>
/// One headless chromium for a test class; each person in a test gets a fresh context (their own cookies), with a
/// phone-sized or desktop viewport, in a time zone other than the server's UTC so that local times show.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Chromium.Require();
        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
    }

    public async Task<IPage> NewPageAsync(Uri baseUri, bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUri.ToString(),
            TimezoneId = "Europe/Berlin",
            Locale = "en-GB",
            ViewportSize = phone ? new ViewportSize { Width = 375, Height = 740 } : new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>A fresh page of a person signed in as <paramref name="name"/>, on the mailboxes list where signing in lands.</summary>
    public async Task<IPage> SignedInPageAsync(Uri baseUri, string name, bool phone = false)
    {
        var page = await NewPageAsync(baseUri, phone);
        await SignInAsync(page, name);
        await page.WaitForURLAsync(SignInTests.MailboxesUrl());
        return page;
    }

    public static async Task SignInAsync(IPage page, string name, string password = ConsoleServer.Password)
    {
        await page.GotoAsync("/signin");
        await page.GetByLabel("User name").FillAsync(name);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    /// <summary>axe-core on the page as it is now: no serious or critical violation.</summary>
    public static async Task AssertAccessibleAsync(IPage page, string? exclude = null)
    {
        var result = exclude is null
            ? await page.RunAxe()
            : await page.RunAxe(new Deque.AxeCore.Commons.AxeRunContext { Exclude = [new Deque.AxeCore.Commons.AxeSelector(exclude)] });
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(bad.Count == 0, $"axe on {page.Url}: " + string.Join("; ", bad.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }
}
