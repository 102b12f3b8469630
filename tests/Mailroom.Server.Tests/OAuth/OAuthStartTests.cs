using System.Net;
using System.Text.Json;
using Mailroom.Server.Api;
using Mailroom.Server.Tests.Api;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Server.Tests.OAuth;

public sealed class OAuthStartTests(OAuthLinkApp app) : IClassFixture<OAuthLinkApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object NewAccount(string? security = "tls") =>
        new { provider = OAuthLinkApp.Provider, user = "someone@example.test", imap = "imap.example.test", security, name = "web" };

    [Theory]
    [InlineData("/oauth/start?provider=test&user=someone@example.test&imap=imap.example.test&security=tls")]
    [InlineData("/oauth/start?mailbox=1")]
    [InlineData("/oauth/start")]
    [InlineData("/oauth/start?link=made-up")]
    public async Task Anonymous_start_answers_401_and_sends_nobody_to_the_provider(string url)
    {
        var response = await app.App.Client(null).GetAsync(url, Ct);
        await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Null(response.Headers.Location);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Links_need_an_api_key()
    {
        var response = await app.App.Client(null).PostAsync("/v1/oauth/links", ApiAssert.Body(NewAccount()), Ct);
        await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Links_are_checked_when_made_and_another_organizations_mailbox_is_not_found()
    {
        var a = app.App.Client(app.KeyA);
        await ApiAssert.ProblemAsync(await a.PostAsync("/v1/oauth/links", ApiAssert.Body(NewAccount("none")), Ct), HttpStatusCode.BadRequest);
        await ApiAssert.ProblemAsync(await a.PostAsync("/v1/oauth/links", ApiAssert.Body(new { provider = "test" }), Ct), HttpStatusCode.BadRequest);
        await ApiAssert.ProblemAsync(await a.PostAsync("/v1/oauth/links",
            ApiAssert.Body(new { provider = "test", user = "u@example.test", imap = "imap.example.test", expiresInMinutes = 0 }), Ct), HttpStatusCode.BadRequest);
        await ApiAssert.ProblemAsync(await a.PostAsync("/v1/oauth/links", ApiAssert.Body(new { mailbox = app.MailboxB.Id }), Ct), HttpStatusCode.NotFound);
        // B's own mailbox is found, but it logs in with a password: there is nothing to authorize.
        await ApiAssert.ProblemAsync(await app.App.Client(app.KeyB).PostAsync("/v1/oauth/links", ApiAssert.Body(new { mailbox = app.MailboxB.Id }), Ct),
            HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_link_starts_once_and_its_state_completes_only_in_the_browser_that_started_it()
    {
        var made = await ApiAssert.JsonAsync(
            await app.App.Client(app.KeyA).PostAsync("/v1/oauth/links", ApiAssert.Body(NewAccount()), Ct), HttpStatusCode.Created);
        var url = new Uri(made.GetProperty("url").GetString()!);
        Assert.Equal("/oauth/start", url.AbsolutePath);
        Assert.True(made.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(59));

        var browser = app.App.Client(null);
        var start = await browser.GetAsync(url.PathAndQuery, Ct);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.StartsWith(OAuthLinkApp.AuthorizeEndpoint + "?", authorize.ToString(), StringComparison.Ordinal);
        var state = Query(authorize, "state");
        Assert.Equal("someone@example.test", Query(authorize, "login_hint"));
        var cookie = start.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("mailroom.oauth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/oauth/callback", cookie, StringComparison.OrdinalIgnoreCase);
        var binding = cookie.Split(';')[0];

        // Used once: the second visit is refused and sends nobody anywhere.
        await ApiAssert.ProblemAsync(await browser.GetAsync(url.PathAndQuery, Ct), HttpStatusCode.Unauthorized);

        // Another browser (no cookie, or another one) cannot finish it, and does not spend the state either.
        var callback = $"/oauth/callback?state={Uri.EscapeDataString(state)}&error=access_denied";
        var other = await ApiAssert.ProblemAsync(await browser.GetAsync(callback, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("another browser", other.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ApiAssert.ProblemAsync(await Send(callback, "mailroom.oauth=forged"), HttpStatusCode.BadRequest);

        // The starting browser gets the provider's answer (here a refusal), and the state is gone after it.
        var refused = await ApiAssert.ProblemAsync(await Send(callback, binding), HttpStatusCode.BadRequest);
        Assert.Contains("did not authorize", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var gone = await ApiAssert.ProblemAsync(await Send(callback, binding), HttpStatusCode.BadRequest);
        Assert.Contains("Unknown, used or expired", gone.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_expires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var links = new OAuthLinks(time);
        var (token, expires) = links.Create(7, new OAuthConnection { Mailbox = 3 }, TimeSpan.FromMinutes(5));
        var (other, _) = links.Create(7, new OAuthConnection { Mailbox = 3 }, TimeSpan.FromMinutes(5));
        Assert.Equal(time.GetUtcNow().AddMinutes(5), expires);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(links.Take(token));
        Assert.Null(links.Take(other + "x"));
        var (fresh, _) = links.Create(8, new OAuthConnection { Mailbox = 4 }, TimeSpan.FromMinutes(5));
        Assert.Equal(8, links.Take(fresh)!.Value.OrganizationId);
        Assert.Null(links.Take(fresh));
    }

    private async Task<HttpResponseMessage> Send(string url, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        return await app.App.Client(null).SendAsync(request, Ct);
    }

    private static string Query(Uri uri, string name) =>
        Uri.UnescapeDataString(uri.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Single(p => p[0] == name)[1]);
}
