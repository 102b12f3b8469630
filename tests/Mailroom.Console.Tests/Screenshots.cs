using Microsoft.Playwright;

namespace Mailroom.Console.Tests;

/// <summary>
/// The pictures in docs/screenshots: taken along the tests' own flows when MAILROOM_SCREENSHOTS names a folder
/// (scripts/screenshots.sh), so they show real pages over real data; nothing otherwise.
/// </summary>
internal static class Screenshots
{
    public static async Task SaveAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("MAILROOM_SCREENSHOTS") is not { Length: > 0 } folder)
            return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }
}
