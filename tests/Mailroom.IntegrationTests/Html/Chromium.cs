using Microsoft.Playwright;

namespace Mailroom.IntegrationTests.Html;

/// <summary>
/// Headless Debian chromium driven by Playwright for .NET. Playwright is pointed at the system browser
/// (PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, default /usr/bin/chromium) and never downloads one.
/// scripts/lib/chromium.sh installs it for scripts/test.sh, where a missing browser fails the tests.
/// </summary>
public static class Chromium
{
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static void Require()
    {
        if (File.Exists(ExecutablePath))
            return;
        var message = $"Chromium not found at {ExecutablePath} (apt-get install chromium, or set PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH): the browser tests did not run.";
        if (Environment.GetEnvironmentVariable("MAILROOM_REQUIRE_LIVE") == "1")
            Assert.Fail(message);
        Assert.Skip(message);
    }

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync(string? netLogPath = null)
    {
        Require();
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var args = new List<string> { "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update" };
        if (netLogPath is not null)
        {
            args.Add("--log-net-log=" + netLogPath);
            args.Add("--net-log-capture-mode=Default");
        }
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = args,
        });
        return (playwright, browser);
    }
}
