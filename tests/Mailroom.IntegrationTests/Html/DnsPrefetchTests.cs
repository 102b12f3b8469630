using System.Text;
using Microsoft.Playwright;

namespace Mailroom.IntegrationTests.Html;

/// <summary>
/// Request interception cannot see DNS prefetch or preconnect, so this test reads Chromium's own network log
/// (--log-net-log, which records every host resolution): after every vector has been shown (all of one source in one message, in the real view and as the bare
/// sanitized document, with no request interception), no host name that a vector names may appear in it. A
/// control page (unsanitized: preconnect, dns-prefetch, a link and an image to canary hosts) proves the log shows the
/// hosts a page makes Chromium resolve.
/// </summary>
public sealed partial class DnsPrefetchTests
{
    [System.Text.RegularExpressions.GeneratedRegex("\"(host|url)\":\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex HostField();

    private static string HostOf(string value)
    {
        var v = value.Contains("://", StringComparison.Ordinal) ? value[(value.IndexOf("://", StringComparison.Ordinal) + 3)..] : value;
        var end = v.IndexOfAny(['/', ':', '?', ' ']);
        return (end < 0 ? v : v[..end]).TrimEnd('.');
    }

    private const string Canary = "mailroom-canary.invalid";

    [Fact]
    public async Task No_vector_host_is_resolved_or_prefetched()
    {
        Chromium.Require();
        var ct = TestContext.Current.CancellationToken;
        var netLog = Path.Combine(Path.GetTempPath(), $"mailroom-netlog-{Guid.NewGuid():N}.json");
        await using var server = await ViewTestServer.StartAsync(ct);
        var (playwright, browser) = await Chromium.LaunchAsync(netLog);
        try
        {
            var context = await browser.NewContextAsync();
            // Control: an unsanitized page that preconnects must leave the canary in the log.
            // No request interception anywhere in this test: with it on, Chromium might not preconnect at all.
            var control = await context.NewPageAsync();
            await control.SetContentAsync($"<link rel=preconnect href=\"https://{Canary}/\"><link rel=dns-prefetch href=\"//dns.{Canary}\"><a href=\"https://a.{Canary}/\">a</a><img src=\"https://img.{Canary}/x.png\">");
            await control.WaitForTimeoutAsync(1500);
            await control.CloseAsync();

            var requests = new List<string>();
            foreach (var source in VectorCatalog.All.GroupBy(v => v.Source))
            {
                var html = new StringBuilder();
                foreach (var v in source)
                    html.Append("<div>").Append(v.Payload).Append("</div>\n");
                var id = server.AddHtml(html.ToString());
                var page = await context.NewPageAsync();
                page.Request += (_, r) =>
                {
                    if (!r.Url.StartsWith(server.BaseUrl + "/view/messages/", StringComparison.Ordinal) && r.Url != "about:blank")
                        lock (requests) requests.Add(r.Url);
                };
                var response = await page.GotoAsync(server.BaseUrl + server.Link(id), new PageGotoOptions { WaitUntil = WaitUntilState.Load });
                Assert.Equal(200, response?.Status);
                await page.WaitForTimeoutAsync(300);
                var document = Mailroom.Server.View.ViewApi.Render(server.Renderer, server.Signer, id, server.Raw(id), allowRemote: false).Html;
                await page.SetContentAsync(document);
                await page.WaitForTimeoutAsync(300);
                await page.CloseAsync();
            }
            await Task.Delay(1000, ct);
            await context.CloseAsync();
            // The same documents with remote content blocked: nothing but the view itself was requested.
            Assert.True(requests.Count == 0, "requests: " + string.Join(", ", requests));
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }

        var log = await File.ReadAllTextAsync(netLog, ct);
        // Every host Chromium resolved or connected to, or requested a URL from (the "host" and "url" fields of its events).
        var touched = HostField().Matches(log).Select(m => HostOf(m.Groups[2].Value)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.True(touched.Contains("img." + Canary), $"the control's canary host is not in {netLog}: the check would prove nothing");
        File.Delete(netLog);
        var leaked = VectorCatalog.Hosts().Where(touched.Contains).ToList();
        Assert.True(leaked.Count == 0, "vector hosts in Chromium's network log: " + string.Join(", ", leaked));
        Assert.True(VectorCatalog.Hosts().Count >= 15, $"only {VectorCatalog.Hosts().Count} vector hosts: the check would prove little");
    }
}
