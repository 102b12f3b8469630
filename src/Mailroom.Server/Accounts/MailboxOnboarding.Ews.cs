using Mailroom.Core.Accounts;

namespace Mailroom.Server.Accounts;

/// <summary>Onboarding of EWS mailboxes (on-premises Exchange): an https endpoint, a login and a password.</summary>
internal sealed partial class MailboxOnboarding
{
    /// <summary>
    /// An EWS mailbox is its endpoint URL (or an address to find it from), a login and a password. The URL must be
    /// https: Basic carries the password itself and NTLM a hash of it. No SMTP (it sends with CreateItem) and no
    /// contacts scope (that searches the server over IMAP).
    /// </summary>
    private static OnboardingResult? ParseEws(OnboardingRequest request, out Parsed parsed)
    {
        parsed = default;
        string? own = null;
        if (request.Address is { } text && !TryAddress(text, out own, out var error))
            return OnboardingResult.Invalid("address", error!);
        if (request.Host is not null)
            return OnboardingResult.Invalid("host", "ews takes its endpoint as a URL (https://HOST/EWS/Exchange.asmx), not a host.");
        if (request.Smtp is not null)
            return OnboardingResult.Invalid("smtp", "ews sends through Exchange (CreateItem), not SMTP.");
        if (request.Scope == MailboxScope.Contacts)
            return ScopeNeedsImap();
        if (InvalidName(request.Name) is { } badName)
            return badName;
        if (request.TrustedCaFile is { } ca && !File.Exists(ca))
            return OnboardingResult.Failed(OnboardingFailure.FileNotFound, $"no such CA file: {Path.GetFullPath(ca)}");
        if (request.Url is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                return OnboardingResult.Invalid("url", $"'{url}' is not an EWS URL such as https://mail.example.com/EWS/Exchange.asmx.");
            if (uri.Scheme != Uri.UriSchemeHttps)
                return OnboardingResult.Invalid("url", "the EWS URL must be https: Basic and NTLM logins are only sent over TLS.");
        }
        else if (own is null)
        {
            return OnboardingResult.Invalid("address", "give the EWS URL, or the mailbox's address to find it with Autodiscover.");
        }
        if (string.IsNullOrWhiteSpace(request.UserName ?? own))
            return OnboardingResult.Invalid("userName", "a login is required (DOMAIN\\user, user@domain, or the address).");
        parsed = new Parsed(null, null, null, null, own);
        return null;
    }

    /// <summary>The endpoint (given, or found by Autodiscover) as the mailbox's server; logging in and saving are those of every mailbox.</summary>
    private static Task<(Servers? Servers, OnboardingResult? Failure)> EwsAsync(
        OnboardingRequest request, Parsed parsed, string? ca, OnboardingSecret secret)
    {
        if (secret.Password is null)
            return Task.FromResult<(Servers?, OnboardingResult?)>((null, OnboardingResult.Invalid("oauth", "ews logs in with a password (NTLM or Basic); OAuth2 is not supported for it yet.")));
        if (request.Url is not { } given)
            return Task.FromResult<(Servers?, OnboardingResult?)>((null, OnboardingResult.Invalid("url", "give the EWS URL (https://HOST/EWS/Exchange.asmx).")));
        var url = new Uri(given);
        var source = OnboardingResult.Explicit;
        var settings = new MailboxSettings
        {
            Host = url.Host,
            Port = url.Port,
            UserName = request.UserName ?? parsed.OwnAddress!,
            Security = TransportSecurity.Tls,
            TrustedCaFile = ca,
            ServiceUrl = url,
            EwsAuthentication = request.EwsAuthentication,
        };
        return Task.FromResult<(Servers?, OnboardingResult?)>((new Servers(MailboxProtocol.Ews, settings, null, source, null), null));
    }
}
