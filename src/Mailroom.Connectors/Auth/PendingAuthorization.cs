namespace Mailroom.Connectors.Auth;

/// <summary>
/// A web authorization between the redirect to the provider and its callback: kept by
/// <see cref="AuthorizationCodeFlow"/> under its state, with the PKCE verifier that never leaves the server.
/// </summary>
public sealed record PendingAuthorization(
    string Provider,
    Uri RedirectUri,
    string CodeVerifier,
    DateTimeOffset ExpiresAt,
    IReadOnlyDictionary<string, string> Context)
{
    public override string ToString() => $"Pending authorization at {Provider} (expires {ExpiresAt:u})";
}
