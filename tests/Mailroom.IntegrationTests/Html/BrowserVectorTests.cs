using Mailroom.Core.Html;
using Microsoft.Playwright;

namespace Mailroom.IntegrationTests.Html;

/// <summary>
/// Every vector of <see cref="VectorCatalog"/> through the email policy and into headless Chromium, twice:
/// the sanitized document alone, without its CSP and frame, with script hooks installed and every event fired (layer
/// one must hold by itself); then the real view (the /view page, its sandboxed iframe, the CSP'd document) with remote
/// content allowed. No script may run and no request may leave the page, except, when remote
/// content is allowed, requests to the image proxy.
/// </summary>
public sealed class BrowserVectorTests(BrowserVectorTests.Fixture fixture) : IClassFixture<BrowserVectorTests.Fixture>
{
    private const string StandaloneUrl = "http://vector.test/";
    private static readonly byte[] Pixel = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

    public static TheoryData<string, string> Vectors() => VectorCatalog.Keys();

    [Fact]
    public void The_suite_has_at_least_300_vectors_from_named_sources()
    {
        var bySource = VectorCatalog.All.GroupBy(v => v.Source).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(VectorCatalog.All.Count >= 300, string.Join(", ", bySource.Select(kv => $"{kv.Key}={kv.Value}")));
        Assert.Equal(["dompurify", "email-privacy-tester", "mailroom", "owasp", "owasp-events"], bySource.Keys.Order());
        Assert.All(VectorCatalog.All, v => Assert.False(string.IsNullOrWhiteSpace(v.Payload), v.ToString()));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task Vector_runs_no_script_and_fetches_nothing(string source, string title)
    {
        Chromium.Require();
        var ct = TestContext.Current.CancellationToken;
        var vector = VectorCatalog.Find(source, title);
        var server = fixture.Server;
        var id = server.AddHtml(vector.Payload);
        var problems = new List<string>();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        void T(string what) { if (Environment.GetEnvironmentVariable("MAILROOM_BROWSER_TIMING") is { Length: > 0 } f) File.AppendAllText(f, $"{vector.Title}: {what} {sw.ElapsedMilliseconds} ms\n"); }

        // Layer one alone: the sanitized document with its CSP removed, outside any frame, hooks installed.
        var document = ViewApiRender(server, id, allowRemote: false);
        var withoutCsp = document.Replace(CspMeta, "", StringComparison.Ordinal);
        Assert.NotEqual(document, withoutCsp);
        T("rendered");
        problems.AddRange((await LoadStandaloneAsync(fixture.Context, withoutCsp, ct)).Select(p => "[standalone] " + p));
        T("standalone");

        // Layer two: the real view with remote content allowed, the case with the most URLs in the document. (With
        // remote content blocked the document holds a subset of them; DnsPrefetchTests loads every vector that way.)
        var recording = await LoadViewAsync(fixture.Context, server, id, remote: true, ct);
        problems.AddRange(recording.Problems().Select(p => $"[view remote=True] {p}"));
        T("view remote=True");
        Assert.True(problems.Count == 0, $"{vector}\n{string.Join("\n", problems)}");
    }

    private static readonly string CspMeta = $"<meta http-equiv=\"Content-Security-Policy\" content=\"{ViewSecurityPolicy.Document}\">";

    private static string ViewApiRender(ViewTestServer server, long id, bool allowRemote) =>
        Mailroom.Server.View.ViewApi.Render(server.Renderer, server.Signer, id, server.Raw(id), allowRemote).Html;

    internal static async Task<List<string>> LoadStandaloneAsync(IBrowserContext context, string html, CancellationToken ct)
    {
        var recording = new BrowserHarness.Recording();
        var page = await context.NewPageAsync();
        await using var _ = new PageCloser(page);
        await page.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url == StandaloneUrl)
                await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html; charset=utf-8", Body = html });
            else
            {
                recording.Requests.Enqueue(route.Request.Url);
                await route.AbortAsync();
            }
        });
        await page.AddInitScriptAsync(BrowserHarness.Hooks);
        recording.Attach(page);
        await page.GotoAsync(StandaloneUrl, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 30000 });
        await page.EvaluateAsync(BrowserHarness.Trigger);
        await page.WaitForTimeoutAsync(60);
        var problems = recording.Problems();
        problems.AddRange((await page.EvaluateAsync<string[]>("() => window.__mrXss || ['hooks missing']")).Select(x => "script ran: " + x));
        problems.AddRange((await page.EvaluateAsync<string[]>(BrowserHarness.DomCheck)).Select(x => "dom: " + x));
        return problems;
    }

    internal static async Task<BrowserHarness.Recording> LoadViewAsync(IBrowserContext context, ViewTestServer server, long id, bool remote, CancellationToken ct)
    {
        var recording = new BrowserHarness.Recording();
        var own = $"{server.BaseUrl}/view/messages/{id}";
        var page = await context.NewPageAsync();
        await using var _ = new PageCloser(page);
        await page.RouteAsync("**/*", async route =>
        {
            var url = route.Request.Url;
            if (url == own || url.StartsWith(own + "?", StringComparison.Ordinal) || url.StartsWith(own + "/", StringComparison.Ordinal))
            {
                await route.ContinueAsync();
            }
            else if (url.StartsWith(server.BaseUrl + "/view/proxy?", StringComparison.Ordinal))
            {
                recording.ProxyRequests.Enqueue(url);
                await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "image/png", BodyBytes = Pixel });
            }
            else
            {
                recording.Requests.Enqueue(url);
                await route.AbortAsync();
            }
        });
        recording.Attach(page);
        // The view itself must load (page and document, by their signed link): a refused view would run nothing and pass.
        var served = new System.Collections.Concurrent.ConcurrentQueue<(string Url, int Status)>();
        page.Response += (_, r) =>
        {
            if (r.Url.StartsWith(own, StringComparison.Ordinal))
                served.Enqueue((r.Url, r.Status));
        };
        await page.GotoAsync(server.BaseUrl + server.Link(id) + (remote ? "&remote=1" : ""), new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 30000 });
        await page.WaitForTimeoutAsync(60);
        Assert.Contains(served, r => r.Url.Contains("/body?", StringComparison.Ordinal) && r.Status == 200);
        Assert.DoesNotContain(served, r => r.Status >= 400);
        return recording;
    }

    private sealed class PageCloser(IPage page) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await page.CloseAsync();
    }

    public sealed class Fixture : IAsyncLifetime
    {
        private IPlaywright? _playwright;
        public IBrowser Browser { get; private set; } = null!;
        public IBrowserContext Context { get; private set; } = null!;
        public ViewTestServer Server { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Server = await ViewTestServer.StartAsync(CancellationToken.None);
            if (!File.Exists(Chromium.ExecutablePath))
                return; // each test reports the missing browser (skip, or failure under scripts/test.sh)
            (_playwright, Browser) = await Chromium.LaunchAsync();
            Context = await Browser.NewContextAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (_playwright is not null)
            {
                await Browser.CloseAsync();
                _playwright.Dispose();
            }
            await Server.DisposeAsync();
        }
    }
}
