using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;

namespace Mailroom.Server.Accounts;

/// <summary>Onboarding of Gmail API mailboxes: an address and an OAuth grant, checked against the API.</summary>
internal sealed partial class MailboxOnboarding
{
    /// <summary>
    /// A Gmail API mailbox is the address and an OAuth grant: no server to name or discover (Gmail:ApiBaseUrl says where
    /// the API is), no SMTP (it sends through the API), and no contacts scope (that searches the server over IMAP).
    /// </summary>
    private static OnboardingResult? ValidateGmailApi(OnboardingRequest request)
    {
        if ((request.Address ?? request.UserName) is not { } address)
            return OnboardingResult.Invalid("address", "gmail-api needs the mailbox's address.");
        if (!TryAddress(address, out _, out var error))
            return OnboardingResult.Invalid("address", error!);
        if (request.Host is not null)
            return OnboardingResult.Invalid("host", "gmail-api takes no server: the API is at Gmail:ApiBaseUrl.");
        if (request.Smtp is not null)
            return OnboardingResult.Invalid("smtp", "gmail-api sends through the API (users.messages.send), not SMTP.");
        if (request.Scope == MailboxScope.Contacts)
            return ScopeNeedsImap();
        if (request.Name is { Length: 0 or > MaxNameLength })
            return OnboardingResult.Invalid("name", $"the name must be 1 to {MaxNameLength} characters.");
        return null;
    }

    private async Task<OnboardingResult> AddGmailApiAsync(OnboardingRequest request, OnboardingSecret secret, CancellationToken cancellationToken)
    {
        if (secret.Tokens is not { } tokens)
            return OnboardingResult.Invalid("oauth", "gmail-api needs OAuth2 (--oauth PROVIDER, or the web flow /oauth/start?protocol=gmail-api).");
        TryAddress(request.Address ?? request.UserName!, out var address, out _);
        var api = new Uri(gmailOptions.ApiBaseUrl);
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
                await using var session = await ConnectAsync(MailboxProtocol.GmailApi, settings, MailboxCredential.OAuth2(tokens.AccessToken), cancellationToken);
            }
            catch (ConnectorException ex)
            {
                return OnboardingResult.Failed(OnboardingFailure.LoginFailed, ex.Message, null, ex.Kind);
            }
        }
        try
        {
            var record = await accounts.AddOAuthMailboxAsync(request.OrganizationId, name, MailboxProtocol.GmailApi, settings, credentials.Protect(tokens), cancellationToken);
            return OnboardingResult.Success(record, OnboardingResult.Explicit, null);
        }
        catch (InvalidOperationException ex)
        {
            return OnboardingResult.Failed(OnboardingFailure.NameTaken, ex.Message);
        }
    }
}
