using Mailroom.Connectors.Auth;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;

namespace Mailroom.Server.Accounts;

/// <summary>Onboarding of provider API mailboxes (Gmail API, Microsoft Graph): an address and an OAuth grant, checked against the API.</summary>
internal sealed partial class MailboxOnboarding
{
    /// <summary>
    /// A Gmail API or Microsoft Graph mailbox is the address and an OAuth grant: no server to name or discover
    /// (Gmail:ApiBaseUrl or Graph:BaseUrl says where the API is), no SMTP (it sends through the API), and no contacts
    /// scope (that searches the server over IMAP).
    /// </summary>
    private static OnboardingResult? ParseProviderApi(OnboardingRequest request, out Parsed parsed)
    {
        parsed = default;
        var word = EnumWords.Of(request.Protocol);
        var (setting, send) = request.Protocol == MailboxProtocol.Graph ? ("Graph:BaseUrl", "sendMail") : ("Gmail:ApiBaseUrl", "users.messages.send");
        if ((request.Address ?? request.UserName) is not { } text)
            return OnboardingResult.Invalid("address", $"{word} needs the mailbox's address.");
        if (!TryAddress(text, out var address, out var error))
            return OnboardingResult.Invalid("address", error!);
        if (request.Host is not null)
            return OnboardingResult.Invalid("host", $"{word} takes no server: the API is at {setting}.");
        if (request.Smtp is not null)
            return OnboardingResult.Invalid("smtp", $"{word} sends through the API ({send}), not SMTP.");
        if (request.Scope == MailboxScope.Contacts)
            return ScopeNeedsImap();
        if (InvalidName(request.Name) is { } badName)
            return badName;
        parsed = new Parsed(null, null, null, null, address);
        return null;
    }

    /// <summary>Whether the OAuth provider's mailboxes are added with the application's own credential (no owner to ask).</summary>
    public bool UsesApplicationPermissions(string provider) => oauth.UsesApplicationPermissions(provider);

    /// <summary>
    /// A Graph mailbox of a provider with application permissions: the token is the application's own (client
    /// credentials grant), so nobody is asked; the address chooses the mailbox (<c>/users/{address}</c>), and the token
    /// must read its folder tree, as any login is checked. A delegated provider is refused: its grant is the owner's.
    /// </summary>
    public async Task<OnboardingResult> AddWithApplicationPermissionsAsync(OnboardingRequest request, string provider, CancellationToken cancellationToken)
    {
        if (request.Protocol != MailboxProtocol.Graph)
            return OnboardingResult.Invalid("protocol", "application permissions (client credentials) are for Microsoft Graph mailboxes.");
        if (Parse(request, out _) is { } invalid)
            return invalid;
        OAuthEndpoints endpoints;
        try
        {
            endpoints = await oauth.ResolveAsync(provider, cancellationToken);
        }
        catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.Misconfigured)
        {
            return OnboardingResult.Invalid("oauth", ex.Message);
        }
        if (!endpoints.ApplicationPermissions)
            return OnboardingResult.Invalid("oauth", $"OAuth provider '{provider}' has delegated permissions: the mailbox's owner must consent "
                + "(a link from POST /v1/oauth/links, or account add --oauth with the device flow). Set OAuth:Providers:NAME:ApplicationPermissions for a tenant-wide client credential.");
        var result = await oauth.ClientCredentialsAsync(endpoints, cancellationToken);
        if (result.Tokens is not { } tokens)
            return OnboardingResult.Failed(OnboardingFailure.LoginFailed,
                $"OAuth provider '{provider}' refused the client credentials grant: {result.Error}: {result.ErrorDescription}", null, ConnectorErrorKind.Misconfigured);
        return await AddAsync(request, OnboardingSecret.FromOAuth(provider, tokens), cancellationToken);
    }

    /// <summary>The API's place as the mailbox's server; the login and saving are those of every mailbox.</summary>
    private (Servers? Servers, OnboardingResult? Failure) ProviderApi(OnboardingRequest request, Parsed parsed, OnboardingSecret secret)
    {
        var protocol = request.Protocol;
        if (secret.Tokens is null)
        {
            var word = EnumWords.Of(protocol);
            return (null, OnboardingResult.Invalid("oauth", $"{word} needs OAuth2 (--oauth PROVIDER, or the web flow /oauth/start?protocol={word})."));
        }
        var api = new Uri(protocol == MailboxProtocol.Graph ? graphOptions.BaseUrl : gmailOptions.ApiBaseUrl);
        var settings = new MailboxSettings
        {
            Host = api.Host,
            Port = api.Port,
            UserName = request.UserName ?? parsed.OwnAddress!,
            Security = api.Scheme == Uri.UriSchemeHttps ? TransportSecurity.Tls : TransportSecurity.None,
        };
        return (new Servers(protocol, settings, null, OnboardingResult.Explicit, null), null);
    }
}
