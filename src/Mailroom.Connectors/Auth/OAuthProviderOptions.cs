namespace Mailroom.Connectors.Auth;

/// <summary>
/// One OAuth provider (section <c>OAuth:Providers:NAME</c>). "google" and "microsoft" have built-in endpoints and
/// scopes, so they need only a client id (and secret); any other provider needs an <see cref="Authority"/> whose
/// <c>/.well-known/openid-configuration</c> names its endpoints, or the endpoints themselves.
/// </summary>
public sealed class OAuthProviderOptions
{
    /// <summary>The issuer URL; its discovery document fills in every endpoint not set below.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>Empty for a public client (PKCE and the device flow work without one at most providers).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes to ask for; for IMAP/SMTP access and a refresh token (often <c>offline_access</c>).</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>
    /// Scopes to ask for when the mailbox is read through the Gmail API (protocol gmail-api); empty: <see cref="Scopes"/>.
    /// Google's default is gmail.readonly and gmail.send.
    /// </summary>
    public List<string> GmailApiScopes { get; set; } = [];

    /// <summary>
    /// Scopes to ask for when the mailbox is read through Microsoft Graph (protocol graph); empty: <see cref="Scopes"/>.
    /// Microsoft's default is Mail.ReadWrite, Mail.Send and offline_access (delegated).
    /// </summary>
    public List<string> GraphScopes { get; set; } = [];

    /// <summary>
    /// Application permissions: tokens come from the client credentials grant (the client's own identity, for a whole
    /// tenant, granted once by an administrator), never from a person; each mailbox is chosen by its address. For
    /// Microsoft Graph (<c>/users/{address}</c>). A mailbox of such a provider is added without any interaction.
    /// </summary>
    public bool ApplicationPermissions { get; set; }

    /// <summary>Scopes of the client credentials grant; Microsoft's default is <c>https://graph.microsoft.com/.default</c>.</summary>
    public List<string> ApplicationScopes { get; set; } = [];

    public string? AuthorizationEndpoint { get; set; }

    public string? TokenEndpoint { get; set; }

    public string? DeviceAuthorizationEndpoint { get; set; }

    /// <summary>Extra query parameters for the authorization request (Google: <c>access_type=offline</c>).</summary>
    public Dictionary<string, string> AuthorizationParameters { get; set; } = [];
}
