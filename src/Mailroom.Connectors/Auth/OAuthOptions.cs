namespace Mailroom.Connectors.Auth;

/// <summary>OAuth2 settings (section <c>OAuth</c>).</summary>
public sealed class OAuthOptions
{
    /// <summary>Providers by name, as accounts refer to them (<c>account add --oauth NAME</c>).</summary>
    public Dictionary<string, OAuthProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>An access token with less than this left is refreshed before it is used.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Deadline of each request to a provider.</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a web authorization (its state and PKCE verifier) may take before it is forgotten.</summary>
    public TimeSpan AuthorizationLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The callback URL as the provider's users reach it (<c>https://mail.example.com/oauth/callback</c>), registered
    /// at the provider; when empty, it is built from the request to <c>/oauth/start</c>.
    /// </summary>
    public string? RedirectUri { get; set; }
}
