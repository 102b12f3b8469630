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
    private static OnboardingResult? ValidateProviderApi(OnboardingRequest request)
    {
        var (word, setting, send) = request.Protocol == MailboxProtocol.Graph
            ? ("graph", "Graph:BaseUrl", "sendMail")
            : ("gmail-api", "Gmail:ApiBaseUrl", "users.messages.send");
        if ((request.Address ?? request.UserName) is not { } address)
            return OnboardingResult.Invalid("address", $"{word} needs the mailbox's address.");
        if (!TryAddress(address, out _, out var error))
            return OnboardingResult.Invalid("address", error!);
        if (request.Host is not null)
            return OnboardingResult.Invalid("host", $"{word} takes no server: the API is at {setting}.");
        if (request.Smtp is not null)
            return OnboardingResult.Invalid("smtp", $"{word} sends through the API ({send}), not SMTP.");
        if (request.Scope == MailboxScope.Contacts)
            return ScopeNeedsImap();
        if (request.Name is { Length: 0 or > MaxNameLength })
            return OnboardingResult.Invalid("name", $"the name must be 1 to {MaxNameLength} characters.");
        return null;
    }

    private async Task<OnboardingResult> AddProviderApiAsync(OnboardingRequest request, OnboardingSecret secret, CancellationToken cancellationToken)
    {
        var protocol = request.Protocol;
        var word = protocol == MailboxProtocol.Graph ? "graph" : "gmail-api";
        if (secret.Tokens is not { } tokens)
            return OnboardingResult.Invalid("oauth", $"{word} needs OAuth2 (--oauth PROVIDER, or the web flow /oauth/start?protocol={word}).");
        TryAddress(request.Address ?? request.UserName!, out var address, out _);
        var api = new Uri(protocol == MailboxProtocol.Graph ? graphOptions.BaseUrl : gmailOptions.ApiBaseUrl);
        var settings = new MailboxSettings
        {
            Host = api.Host,
            Port = api.Port,
            UserName = request.UserName ?? address!,
            Address = address,
            Security = api.Scheme == Uri.UriSchemeHttps ? TransportSecurity.Tls : TransportSecurity.None,
            OAuthProvider = secret.OAuthProvider,
        };
        var name = request.Name ?? address!;
        if (request.Verify)
        {
            try
            {
                await using var session = await ConnectAsync(protocol, settings, MailboxCredential.OAuth2(tokens.AccessToken), cancellationToken);
            }
            catch (ConnectorException ex)
            {
                return OnboardingResult.Failed(OnboardingFailure.LoginFailed, ex.Message, null, ex.Kind);
            }
        }
        try
        {
            var record = await accounts.AddOAuthMailboxAsync(request.OrganizationId, name, protocol, settings, credentials.Protect(tokens), cancellationToken);
            return OnboardingResult.Success(record, OnboardingResult.Explicit, null);
        }
        catch (InvalidOperationException ex)
        {
            return OnboardingResult.Failed(OnboardingFailure.NameTaken, ex.Message);
        }
    }
}
