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
    /// <summary>The scopes for a mailbox read through the Gmail API; empty: <see cref="Scopes"/>.</summary>
    public IReadOnlyList<string> GmailApiScopes { get; init; } = [];

    /// <summary>The context key and value of an authorization for a Gmail API mailbox.</summary>
    public const string ProtocolKey = "protocol", GmailApiProtocol = "gmail-api";

    /// <summary>These endpoints asking for the Gmail API's scopes instead of IMAP's.</summary>
    public OAuthEndpoints ForGmailApi() => GmailApiScopes.Count > 0 ? this with { Scopes = GmailApiScopes } : this;

    /// <summary>The client secret is not part of the text form.</summary>
    public override string ToString() => $"OAuth provider {Name} (token endpoint {TokenEndpoint})";
}
