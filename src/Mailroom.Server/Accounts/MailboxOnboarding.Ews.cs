using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;

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

    /// <summary>
    /// The endpoint, given or found by Autodiscover (with the login, as Exchange asks for it; the operator's
    /// Discovery:TrustedCaFile trusted as for IMAP discovery), as the mailbox's server. Logging in to it and saving are
    /// those of every mailbox: a URL Autodiscover named is stored only once GetFolder has answered through it.
    /// </summary>
    private async Task<(Servers? Servers, OnboardingResult? Failure)> EwsAsync(
        OnboardingRequest request, Parsed parsed, string? ca, OnboardingSecret secret, CancellationToken cancellationToken)
    {
        if (secret.Password is null)
            return (null, OnboardingResult.Invalid("oauth", "ews logs in with a password (NTLM or Basic); OAuth2 is not supported for it yet."));
        var userName = request.UserName ?? parsed.OwnAddress!;
        var source = OnboardingResult.Explicit;
        Uri url;
        if (request.Url is { } given)
        {
            url = new Uri(given);
        }
        else
        {
            ca ??= discoveryOptions.TrustedCaFile is { Length: > 0 } operatorCa ? Path.GetFullPath(operatorCa) : null;
            Uri? found;
            IReadOnlyList<string> tried;
            try
            {
                (found, source, tried) = await autodiscover.FindAsync(parsed.OwnAddress!, userName, secret.Password, request.EwsAuthentication, ca, cancellationToken);
            }
            catch (ConnectorException ex)
            {
                return (null, OnboardingResult.Failed(OnboardingFailure.LoginFailed, ex.Message, loginError: ex.Kind));
            }
            if (found is null)
            {
                return (null, OnboardingResult.Failed(OnboardingFailure.NotDiscovered,
                    $"Autodiscover found no EWS URL for {parsed.OwnAddress}: {string.Join("; ", tried)}. Give the URL."));
            }
            url = found;
        }
        var settings = new MailboxSettings
        {
            Host = url.Host,
            Port = url.Port,
            UserName = userName,
            Security = TransportSecurity.Tls,
            TrustedCaFile = ca,
            ServiceUrl = url,
            EwsAuthentication = request.EwsAuthentication,
        };
        return (new Servers(MailboxProtocol.Ews, settings, null, source, null), null);
    }
}
