namespace Mailroom.Server.WebConsole.SingleSignOn;

/// <summary>
/// Optional OpenID Connect sign-in to the console (section <c>Console:OpenIdConnect</c>): off unless
/// <see cref="Authority"/> is set. Local users keep signing in with their passwords either way.
/// </summary>
internal sealed class OpenIdSignInOptions
{
    /// <summary>The provider's issuer URL (its discovery document is read from it). HTTPS, except on loopback.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The provider's name on the sign-in button ("Sign in with …").</summary>
    public string DisplayName { get; set; } = "single sign-on";

    /// <summary>Scopes to ask for besides <c>openid</c>; the rule below needs the email address.</summary>
    public List<string> Scopes { get; set; } = ["email"];

    /// <summary>Where the provider sends the person back (register <c>https://HOST/signin-oidc</c> there).</summary>
    public string CallbackPath { get; set; } = "/signin-oidc";

    /// <summary>
    /// Which organization a new user is added to, by the domain of their email address (<c>"example.com": "acme"</c>;
    /// <c>"*"</c> for any other domain). A person whose domain is not listed is refused.
    /// </summary>
    public Dictionary<string, string> Organizations { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The role of users added at their first sign-in (an admin can change it).</summary>
    public string Role { get; set; } = ConsoleRoles.Member;

    /// <summary>
    /// Refuse an address the provider does not say it verified (<c>email_verified</c>): a provider that lets people
    /// type any address would otherwise let them pick the organization.
    /// </summary>
    public bool RequireVerifiedEmail { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    public OpenIdSignInOptions Validate()
    {
        if (!Enabled)
            return this;
        const string prefix = "Console:OpenIdConnect:";
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority)
            || !(authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback)))
            throw new InvalidOperationException($"{prefix}Authority must be an https URL (http only on loopback), was '{Authority}'.");
        if (string.IsNullOrWhiteSpace(ClientId))
            throw new InvalidOperationException($"{prefix}ClientId is required with {prefix}Authority.");
        if (Organizations.Count == 0)
            throw new InvalidOperationException($"{prefix}Organizations must map at least one email domain (or \"*\") to an organization.");
        if (!ConsoleRoles.IsKnown(Role))
            throw new InvalidOperationException($"{prefix}Role must be admin or member, was '{Role}'.");
        if (!CallbackPath.StartsWith('/'))
            throw new InvalidOperationException($"{prefix}CallbackPath must start with '/', was '{CallbackPath}'.");
        return this;
    }

    /// <summary>The organization for an email address by the rule above; null when its domain is not listed.</summary>
    public string? OrganizationFor(string email)
    {
        var at = email.LastIndexOf('@');
        if (at <= 0 || at == email.Length - 1)
            return null;
        var domain = email[(at + 1)..].TrimEnd('.');
        return Organizations.TryGetValue(domain, out var organization) ? organization
            : Organizations.TryGetValue("*", out var any) ? any
            : null;
    }
}
