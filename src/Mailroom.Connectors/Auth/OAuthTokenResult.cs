namespace Mailroom.Connectors.Auth;

/// <summary>
/// The answer of a token request: tokens, or the provider's OAuth error code (RFC 6749 §5.2, RFC 8628 §3.5) as a
/// value. A network failure or a server error is a <see cref="Core.Connectors.ConnectorException"/> instead.
/// </summary>
public sealed record OAuthTokenResult(OAuthTokens? Tokens, string? Error, string? ErrorDescription)
{
    /// <summary>The grant (refresh token, code, device code) is revoked, expired or used up.</summary>
    public bool IsInvalidGrant => Error == "invalid_grant";

    public static OAuthTokenResult Failed(string error, string? description) => new(null, error, description);

    public override string ToString() => Tokens is { } t ? t.ToString() : $"OAuth error {Error}: {ErrorDescription}";
}
