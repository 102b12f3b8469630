using System.Net;
using System.Text.RegularExpressions;
using Mailroom.Server.Tests.Api;
using Mailroom.Server.WebConsole;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Server.Tests.WebConsole;

/// <summary>
/// The console's sign-in over HTTPS and over plain HTTP from another machine, which the browser tests (plain HTTP on
/// loopback) cannot reach: the session cookie is Secure over HTTPS, and a password sent in clear from elsewhere is refused.
/// </summary>
public sealed partial class SessionCookieTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    private const string Password = "session-cookie-test-password";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Over_https_the_session_cookie_is_secure_http_only_and_lax_and_opens_the_console()
    {
        await AddUserAsync("https-user");
        var client = app.App.GetTestClient();
        client.BaseAddress = new Uri("https://localhost/");
        var (antiforgery, token) = await FormAsync(client);

        using var post = new HttpRequestMessage(HttpMethod.Post, "signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["name"] = "https-user", ["password"] = Password, ["__RequestVerificationToken"] = token,
            }),
        };
        post.Headers.Add("Cookie", antiforgery);
        var response = await client.SendAsync(post, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var session = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(ConsoleServices.CookieName + "=", StringComparison.Ordinal));
        var attributes = session.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);

        using var page = new HttpRequestMessage(HttpMethod.Get, "mailboxes");
        page.Headers.Add("Cookie", session.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(page, Ct)).StatusCode);
    }

    [Fact]
    public async Task Over_plain_http_from_another_address_the_password_is_refused_and_no_session_starts()
    {
        await AddUserAsync("remote-user");
        var client = app.App.GetTestClient();
        var (antiforgery, token) = await FormAsync(client);
        var remote = IPAddress.Parse("192.0.2.10");
        var body = await new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "remote-user", ["password"] = Password, ["__RequestVerificationToken"] = token,
        }).ReadAsByteArrayAsync(Ct);

        var context = await app.App.GetTestServer().SendAsync(http =>
        {
            http.Connection.RemoteIpAddress = remote;
            http.Request.Method = HttpMethods.Post;
            http.Request.Path = "/signin";
            http.Request.Headers.Cookie = antiforgery;
            http.Request.ContentType = "application/x-www-form-urlencoded";
            http.Request.Body = new MemoryStream(body);
        }, Ct);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.DoesNotContain(context.Response.Headers.SetCookie, c => c?.StartsWith(ConsoleServices.CookieName + "=", StringComparison.Ordinal) == true);
        var html = await new StreamReader(context.Response.Body).ReadToEndAsync(Ct);
        Assert.Contains("Sign-in needs HTTPS", html, StringComparison.Ordinal);
    }

    private async Task AddUserAsync(string name)
    {
        var (user, error) = await app.Services.GetRequiredService<ConsoleAccounts>().AddAsync("cookies", name, Password, ConsoleRoles.Member, Ct);
        Assert.True(user is not null, error);
    }

    // The sign-in form's antiforgery cookie (as a Cookie header value) and its hidden token.
    private static async Task<(string Cookie, string Token)> FormAsync(HttpClient client)
    {
        var response = await client.GetAsync(new Uri("signin", UriKind.Relative), Ct);
        response.EnsureSuccessStatusCode();
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("mailroom.antiforgery=", StringComparison.Ordinal)).Split(';')[0];
        var token = TokenPattern().Match(await response.Content.ReadAsStringAsync(Ct)).Groups[1].Value;
        Assert.NotEmpty(token);
        return (cookie, token);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
