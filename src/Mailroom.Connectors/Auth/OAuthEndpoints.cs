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

    /// <summary>The scopes for a mailbox read through Microsoft Graph; empty: <see cref="Scopes"/>.</summary>
    public IReadOnlyList<string> GraphScopes { get; init; } = [];

    /// <summary>Application permissions: tokens from the client credentials grant (see <see cref="OAuthProviderOptions.ApplicationPermissions"/>).</summary>
    public bool ApplicationPermissions { get; init; }

    /// <summary>Scopes of the client credentials grant (none asked for when empty).</summary>
    public IReadOnlyList<string> ApplicationScopes { get; init; } = [];

    /// <summary>The context key and values of an authorization for a Gmail API or Microsoft Graph mailbox.</summary>
    public const string ProtocolKey = "protocol", GmailApiProtocol = "gmail-api", GraphProtocol = "graph";

    /// <summary>These endpoints asking for the Gmail API's scopes instead of IMAP's.</summary>
    public OAuthEndpoints ForGmailApi() => GmailApiScopes.Count > 0 ? this with { Scopes = GmailApiScopes } : this;

    /// <summary>These endpoints asking for Microsoft Graph's scopes instead of IMAP's.</summary>
    public OAuthEndpoints ForGraph() => GraphScopes.Count > 0 ? this with { Scopes = GraphScopes } : this;

    /// <summary>The endpoints for a mailbox of the protocol named (the context word): the API's scopes, or IMAP's.</summary>
    public OAuthEndpoints ForProtocol(string? protocol) => protocol switch
    {
        GmailApiProtocol => ForGmailApi(),
        GraphProtocol => ForGraph(),
        _ => this,
    };

    /// <summary>The client secret is not part of the text form.</summary>
    public override string ToString() => $"OAuth provider {Name} (token endpoint {TokenEndpoint})";
}
