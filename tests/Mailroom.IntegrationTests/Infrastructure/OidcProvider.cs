using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mailroom.IntegrationTests.Infrastructure;

/// <summary>
/// The OpenID test provider started by <c>scripts/test-env.sh up</c> (npm oidc-provider on 127.0.0.1, see
/// scripts/lib/oidc.sh). Approving a device code or a web authorization is done like a person in a browser would,
/// over HTTP through the provider's own pages (its development login takes any password). Requests it served are
/// counted from its request log.
/// </summary>
internal static partial class OidcProvider
{
    public const string Name = "local";

    public static string Issuer => Env("MAILROOM_TEST_OIDC_ISSUER") ?? "http://127.0.0.1:11480";
    public static string User => Env("MAILROOM_TEST_OIDC_USER") ?? "mr12";
    public static int ServePort => int.Parse(Env("MAILROOM_TEST_OIDC_SERVE_PORT") ?? "11580", System.Globalization.CultureInfo.InvariantCulture);
    public static TimeSpan AccessTokenLifetime =>
        TimeSpan.FromSeconds(int.Parse(Env("MAILROOM_TEST_OIDC_ACCESS_TTL") ?? "30", System.Globalization.CultureInfo.InvariantCulture));
    private static string ClientSecret => Env("MAILROOM_TEST_OIDC_CLIENT_SECRET") ?? "";
    private static string? LogPath => Env("MAILROOM_TEST_OIDC_LOG");

    public static void Require()
    {
        LiveServers.RequireDovecot();
        if (Env("MAILROOM_TEST_OIDC_ISSUER") is null || LogPath is null)
        {
            var message = "the OpenID test provider is not configured (MAILROOM_TEST_OIDC_*): run scripts/test-env.sh up and eval \"$(scripts/test-env.sh env)\".";
            if (Env("MAILROOM_REQUIRE_LIVE") == "1")
                Assert.Fail(message);
            Assert.Skip(message);
        }
    }

    /// <summary>Mailroom settings (configuration keys) for this provider as OAuth:Providers:local.</summary>
    public static Dictionary<string, string?> Settings(TimeSpan refreshBefore) => new()
    {
        [$"OAuth:Providers:{Name}:Authority"] = Issuer,
        [$"OAuth:Providers:{Name}:ClientId"] = "mailroom",
        [$"OAuth:Providers:{Name}:ClientSecret"] = ClientSecret,
        [$"OAuth:Providers:{Name}:Scopes:0"] = "openid",
        [$"OAuth:Providers:{Name}:Scopes:1"] = "offline_access",
        [$"OAuth:Providers:{Name}:Scopes:2"] = "email",
        ["OAuth:RefreshBefore"] = refreshBefore.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The same settings as MAILROOM__ environment variables, for a mailroom child process.</summary>
    public static Dictionary<string, string> Environment(TimeSpan refreshBefore) =>
        Settings(refreshBefore).ToDictionary(kv => "MAILROOM__" + kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);

    /// <summary>Tokens for <see cref="User"/> through Mailroom's own device flow client, approved like a person would.</summary>
    public static async Task<Mailroom.Connectors.Auth.OAuthTokens> DeviceFlowAsync(MailroomTestHost host, CancellationToken cancellationToken)
    {
        var oauth = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Mailroom.Connectors.Auth.OAuthClient>(host.Services);
        var provider = await oauth.ResolveAsync(Name, cancellationToken);
        var device = await oauth.StartDeviceAuthorizationAsync(provider, cancellationToken);
        var approve = ApproveDeviceAsync(device.VerificationUriComplete!, cancellationToken);
        var result = await oauth.PollDeviceAuthorizationAsync(provider, device, cancellationToken);
        await approve;
        Assert.True(result.Tokens is not null, result.ToString());
        Assert.NotNull(result.Tokens.RefreshToken);
        TestArtifacts.RecordSecrets("oauth", result.Tokens.AccessToken, result.Tokens.RefreshToken);
        return result.Tokens;
    }

    /// <summary>Enters the user code, confirms the device, logs in as <see cref="User"/> and consents.</summary>
    public static async Task ApproveDeviceAsync(Uri verificationUriComplete, CancellationToken cancellationToken)
    {
        using var browser = Browser();
        var html = await browser.GetStringAsync(verificationUriComplete, cancellationToken);
        // The code entry form (the code is filled in from the URL), then the confirmation form.
        for (var step = 0; step < 2; step++)
        {
            var (action, fields) = Form(html, verificationUriComplete);
            if (step == 0)
                fields["user_code"] = Regex.Match(verificationUriComplete.Query, "user_code=([^&]+)").Groups[1].Value;
            html = await PostAsync(browser, action, fields, cancellationToken);
        }
        html = await LoginAndConsentAsync(browser, html, new Uri(Issuer), cancellationToken);
        Assert.Contains("Sign-in Success", html, StringComparison.Ordinal);
    }

    /// <summary>Follows a web authorization from Mailroom's /oauth/start through login and consent back to its callback.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> AuthorizeInBrowserAsync(Uri start, CancellationToken cancellationToken)
    {
        using var browser = Browser();
        using var response = await browser.GetAsync(start, cancellationToken);
        var html = await response.Content.ReadAsStringAsync(cancellationToken);
        var at = response.RequestMessage!.RequestUri!;
        if (at.AbsolutePath == "/oauth/callback")
            return (response.StatusCode, html);
        var lastStatus = HttpStatusCode.OK;
        html = await LoginAndConsentAsync(browser, html, at, cancellationToken, s => lastStatus = s);
        return (lastStatus, html);
    }

    /// <summary>Revokes a refresh token at the provider (RFC 7009), which revokes its whole grant.</summary>
    public static async Task RevokeAsync(string refreshToken, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = "mailroom", ["client_secret"] = ClientSecret, ["token"] = refreshToken, ["token_type_hint"] = "refresh_token",
        });
        using var response = await http.PostAsync(new Uri(new Uri(Issuer), "/token/revocation"), content, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Requests the provider answered so far: to the token endpoint (with this grant type), or introspections.</summary>
    public static int Count(string path, string? grantType = null, int? status = null)
    {
        var count = 0;
        foreach (var line in File.ReadLines(LogPath!))
        {
            using var entry = JsonDocument.Parse(line);
            var root = entry.RootElement;
            if (root.GetProperty("path").GetString() != path)
                continue;
            if (grantType is not null && root.GetProperty("grant_type").GetString() != grantType)
                continue;
            if (status is not null && root.GetProperty("status").GetInt32() != status)
                continue;
            count++;
        }
        return count;
    }

    public const string Introspection = "/token/introspection";
    public const string Token = "/token";

    private static async Task<string> LoginAndConsentAsync(
        HttpClient browser, string html, Uri at, CancellationToken cancellationToken, Action<HttpStatusCode>? status = null)
    {
        for (var step = 0; step < 4; step++)
        {
            if (!html.Contains("name=\"prompt\"", StringComparison.Ordinal))
                return html;
            var (action, fields) = Form(html, at);
            if (fields["prompt"] == "login")
            {
                fields["login"] = User;
                fields["password"] = "any";
            }
            using var content = new FormUrlEncodedContent(fields);
            using var response = await browser.PostAsync(action, content, cancellationToken);
            status?.Invoke(response.StatusCode);
            at = response.RequestMessage!.RequestUri!;
            html = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        return html;
    }

    private static async Task<string> PostAsync(HttpClient browser, Uri action, Dictionary<string, string> fields, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(fields);
        using var response = await browser.PostAsync(action, content, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    private static (Uri Action, Dictionary<string, string> Fields) Form(string html, Uri at)
    {
        var action = ActionPattern().Match(html);
        Assert.True(action.Success, "no form on the provider's page: " + html[..Math.Min(html.Length, 300)]);
        var fields = HiddenPattern().Matches(html).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        return (new Uri(at, WebUtility.HtmlDecode(action.Groups[1].Value)), fields);
    }

    private static HttpClient Browser() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true, MaxAutomaticRedirections = 20 });

    [GeneratedRegex("action=\"([^\"]+)\"")]
    private static partial Regex ActionPattern();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenPattern();

    private static string? Env(string name) => System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
}
