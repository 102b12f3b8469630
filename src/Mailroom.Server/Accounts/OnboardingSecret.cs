using Mailroom.Connectors.Auth;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;

namespace Mailroom.Server.Accounts;

/// <summary>What a new mailbox logs in with: a password, or OAuth2 tokens of a configured provider. Never printed.</summary>
internal sealed class OnboardingSecret
{
    private OnboardingSecret(string? password, string? provider, OAuthTokens? tokens)
    {
        Password = password;
        OAuthProvider = provider;
        Tokens = tokens;
    }

    public string? Password { get; }

    /// <summary>The configured provider (<c>OAuth:Providers:NAME</c>); null for a password.</summary>
    public string? OAuthProvider { get; }

    public OAuthTokens? Tokens { get; }

    public static OnboardingSecret FromPassword(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return new(password, null, null);
    }

    public static OnboardingSecret FromOAuth(string provider, OAuthTokens tokens) => new(null, provider, tokens);

    public MailboxCredential Credential =>
        Tokens is { } t ? MailboxCredential.OAuth2(t.AccessToken) : MailboxCredential.Password(Password!);

    public SmtpCredential SmtpCredential(string userName) =>
        Tokens is { } t ? new(userName, t.AccessToken, IsAccessToken: true) : new(userName, Password!);

    public override string ToString() => OAuthProvider is null ? "password (not shown)" : $"OAuth2 tokens of {OAuthProvider} (not shown)";
}
