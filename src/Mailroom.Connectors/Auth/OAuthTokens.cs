namespace Mailroom.Connectors.Auth;

/// <summary>Tokens from a provider, in plaintext for a moment: encrypt them before storing, never print them.</summary>
public sealed record OAuthTokens(string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"OAuth tokens (expire {ExpiresAt:u}, refresh token {(RefreshToken is null ? "absent" : "present")})";
}
