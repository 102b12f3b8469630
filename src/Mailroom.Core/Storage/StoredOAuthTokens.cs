namespace Mailroom.Core.Storage;

/// <summary>
/// A mailbox's OAuth2 tokens as stored: ciphertexts from <see cref="Accounts.ISecretProtector"/> (purposes
/// <see cref="Accounts.SecretPurposes.OAuthAccessToken"/> and <see cref="Accounts.SecretPurposes.OAuthRefreshToken"/>),
/// and the access token's expiry in clear.
/// </summary>
public sealed record StoredOAuthTokens(string ProtectedAccessToken, string? ProtectedRefreshToken, DateTimeOffset ExpiresAt);
