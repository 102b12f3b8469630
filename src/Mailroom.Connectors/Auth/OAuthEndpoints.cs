namespace Mailroom.Connectors.Auth;

/// <summary>A provider resolved for use: endpoints, client and scopes.</summary>
public sealed record OAuthEndpoints(
    string Name,
    Uri? AuthorizationEndpoint,
    Uri TokenEndpoint,
    Uri? DeviceAuthorizationEndpoint,
    string ClientId,
    string? ClientSecret,
    IReadOnlyList<string> Scopes,
    IReadOnlyDictionary<string, string> AuthorizationParameters)
{
    /// <summary>The client secret is not part of the text form.</summary>
    public override string ToString() => $"OAuth provider {Name} (token endpoint {TokenEndpoint})";
}
