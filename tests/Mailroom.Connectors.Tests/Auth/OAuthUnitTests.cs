using Mailroom.Connectors.Auth;
using Mailroom.Core.Accounts;

namespace Mailroom.Connectors.Tests.Auth;

public sealed class OAuthUnitTests
{
    [Theory]
    [InlineData("PLAIN LOGIN OAUTHBEARER XOAUTH2", "OAUTHBEARER")]
    [InlineData("XOAUTH2 OAUTHBEARER", "OAUTHBEARER")]
    [InlineData("PLAIN XOAUTH2", "XOAUTH2")]
    [InlineData("plain xoauth2", "XOAUTH2")]
    [InlineData("PLAIN LOGIN", null)]
    [InlineData("", null)]
    public void OAuth_mechanism_is_oauthbearer_when_announced_else_xoauth2(string announced, string? expected) =>
        Assert.Equal(expected, SaslLogin.ChooseOAuthMechanism(announced.Split(' ', StringSplitOptions.RemoveEmptyEntries)));

    [Fact]
    public void Code_challenge_matches_rfc7636_appendix_b() =>
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            AuthorizationCodeFlow.CodeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));

    [Fact]
    public void Credentials_and_tokens_never_show_their_secrets_as_text()
    {
        const string secret = "ya29.very-secret-token";
        Assert.DoesNotContain(secret, MailboxCredential.OAuth2(secret).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, MailboxCredential.Password(secret).ToString(), StringComparison.Ordinal);
        var tokens = new OAuthTokens(secret, secret + "-refresh", DateTimeOffset.UnixEpoch);
        Assert.DoesNotContain(secret, tokens.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, new OAuthTokenResult(tokens, null, null).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Built_in_providers_need_only_a_client_id_and_configured_values_win()
    {
        var google = OAuthProviderDefaults.Merge("google", new OAuthProviderOptions { ClientId = "id" });
        Assert.Equal("https://oauth2.googleapis.com/token", google.TokenEndpoint);
        Assert.Equal(["https://mail.google.com/"], google.Scopes);
        Assert.Equal("offline", google.AuthorizationParameters["access_type"]);
        // The Gmail API asks for reading and sending only, never full mail access.
        Assert.Equal(["https://www.googleapis.com/auth/gmail.readonly", "https://www.googleapis.com/auth/gmail.send"], google.GmailApiScopes);

        var microsoft = OAuthProviderDefaults.Merge("Microsoft", new OAuthProviderOptions
        {
            ClientId = "id",
            TokenEndpoint = "https://login.microsoftonline.com/contoso/oauth2/v2.0/token",
        });
        Assert.Equal("https://login.microsoftonline.com/contoso/oauth2/v2.0/token", microsoft.TokenEndpoint);
        Assert.Contains("offline_access", microsoft.Scopes);

        var other = OAuthProviderDefaults.Merge("corp", new OAuthProviderOptions { ClientId = "id", Authority = "https://id.example" });
        Assert.Null(other.TokenEndpoint); // comes from discovery
        Assert.Empty(other.Scopes);
    }
}
