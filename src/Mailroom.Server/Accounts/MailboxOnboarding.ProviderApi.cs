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
