using Mailroom.Connectors.Auth;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Connectors.Tests.Auth;

public sealed class AuthorizationCodeFlowTests
{
    private static readonly Uri Redirect = new("http://127.0.0.1:5080/oauth/callback");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly AuthorizationCodeFlow _flow;

    public AuthorizationCodeFlowTests()
    {
        var options = new OAuthOptions { AuthorizationLifetime = TimeSpan.FromMinutes(10) };
        // Endpoints given explicitly: nothing here talks to a provider.
        options.Providers["corp"] = new OAuthProviderOptions
        {
            ClientId = "mailroom",
            AuthorizationEndpoint = "https://id.example/authorize?tenant=a",
            TokenEndpoint = "https://id.example/token",
            DeviceAuthorizationEndpoint = "https://id.example/device",
            Scopes = ["openid", "offline_access"],
            GmailApiScopes = ["gmail.readonly", "gmail.send", "offline_access"],
        };
#pragma warning disable CA2000 // the client is owned by the OAuthClient for the test's lifetime
        var oauth = new OAuthClient(new HttpClient(), options, _time, NullLogger<OAuthClient>.Instance);
#pragma warning restore CA2000
        _flow = new AuthorizationCodeFlow(oauth, options, _time);
    }

    [Fact]
    public async Task Authorize_url_carries_an_unguessable_state_and_an_s256_challenge()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = Query(await _flow.StartAsync("corp", Redirect, "me@example.com", new Dictionary<string, string>(), ct));
        var second = Query(await _flow.StartAsync("corp", Redirect, null, new Dictionary<string, string>(), ct));

        Assert.Equal("a", first["tenant"]);
        Assert.Equal("code", first["response_type"]);
        Assert.Equal("mailroom", first["client_id"]);
        Assert.Equal(Redirect.ToString(), first["redirect_uri"]);
        Assert.Equal("openid offline_access", first["scope"]);
        Assert.Equal("S256", first["code_challenge_method"]);
        Assert.Equal("me@example.com", first["login_hint"]);
        Assert.Equal(43, first["state"].Length); // 256 random bits
        Assert.Equal(43, first["code_challenge"].Length);
        Assert.NotEqual(first["state"], second["state"]);
        Assert.NotEqual(first["code_challenge"], second["code_challenge"]);
    }

    [Fact]
    public async Task A_state_is_single_use_and_expires()
    {
        var ct = TestContext.Current.CancellationToken;
        var context = new Dictionary<string, string> { ["mailbox"] = "7" };
        var state = Query(await _flow.StartAsync("corp", Redirect, null, context, ct))["state"];
        var taken = _flow.Abandon(state);
        Assert.Equal("7", taken!.Context["mailbox"]);
        Assert.Equal(state.Length, taken.CodeVerifier.Length);
        Assert.Null(_flow.Abandon(state));
        Assert.Null(await _flow.CompleteAsync(state, "code", ct)); // used: nothing is exchanged

        var late = Query(await _flow.StartAsync("corp", Redirect, null, context, ct))["state"];
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(await _flow.CompleteAsync(late, "code", ct)); // expired: nothing is exchanged
        Assert.Null(await _flow.CompleteAsync("forged-state", "code", ct));
    }

    [Fact]
    public async Task A_gmail_api_authorization_asks_for_the_gmail_api_scopes_only()
    {
        var ct = TestContext.Current.CancellationToken;
        var imap = Query(await _flow.StartAsync("corp", Redirect, null, new Dictionary<string, string>(), ct));
        var api = Query(await _flow.StartAsync("corp", Redirect, null,
            new Dictionary<string, string> { [OAuthEndpoints.ProtocolKey] = OAuthEndpoints.GmailApiProtocol }, ct));
        Assert.Equal("openid offline_access", imap["scope"]);
        Assert.Equal("gmail.readonly gmail.send offline_access", api["scope"]);
    }

    private static Dictionary<string, string> Query(Uri uri) =>
        uri.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1]));
}
