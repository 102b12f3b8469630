using Mailroom.Core.Accounts;

namespace Mailroom.Connectors.Discovery;

/// <summary>
/// The big providers' documented IMAP, POP3 and SMTP settings, looked up by the address's domain or by the domain's
/// MX hosts. Configured providers (<c>Discovery:Providers</c>) come first, so an operator can add or override one.
/// </summary>
internal sealed class ProviderTable(IEnumerable<MailProvider> configured)
{
    private readonly IReadOnlyList<MailProvider> _providers = [.. configured, .. BuiltIn];

    public IReadOnlyList<MailProvider> Providers => _providers;

    public MailProvider? ByDomain(string domain) =>
        _providers.FirstOrDefault(p => p.Domains.Contains(domain, StringComparer.OrdinalIgnoreCase));

    /// <summary>The provider that runs this server (an autoconfig document or SRV record may name a big provider's host).</summary>
    public MailProvider? ByServerHost(string host) =>
        _providers.FirstOrDefault(p => p.Servers.Any(s => string.Equals(s.Host, host, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The provider whose MX suffix matches the host (a whole-label suffix: <c>x.google.com</c>, not <c>xgoogle.com</c>).</summary>
    public MailProvider? ByMxHost(string mxHost)
    {
        var host = mxHost.TrimEnd('.').ToLowerInvariant();
        return _providers
            .SelectMany(p => p.MxSuffixes.Select(s => (Provider: p, Suffix: s.TrimStart('.').ToLowerInvariant())))
            .Where(x => host == x.Suffix || host.EndsWith("." + x.Suffix, StringComparison.Ordinal))
            .OrderByDescending(x => x.Suffix.Length)
            .Select(x => x.Provider)
            .FirstOrDefault();
    }

    private static ServerCandidate Imap(string host, int port = 993, TransportSecurity security = TransportSecurity.Tls) =>
        new(MailProtocol.Imap, host, port, security, UserNamePattern.Address);

    private static ServerCandidate Pop3(string host, int port = 995, TransportSecurity security = TransportSecurity.Tls) =>
        new(MailProtocol.Pop3, host, port, security, UserNamePattern.Address);

    private static ServerCandidate Smtp(string host, int port = 465, TransportSecurity security = TransportSecurity.Tls) =>
        new(MailProtocol.Smtp, host, port, security, UserNamePattern.Address);

    // From each provider's own help pages for IMAP/POP/SMTP clients. Order within Servers is preference.
    private static readonly MailProvider[] BuiltIn =
    [
        new("google", "Google (Gmail, Google Workspace)", ["gmail.com", "googlemail.com"],
            ["google.com", "googlemail.com"], OAuthKind.Google,
            [Imap("imap.gmail.com"), Pop3("pop.gmail.com"), Smtp("smtp.gmail.com"), Smtp("smtp.gmail.com", 587, TransportSecurity.StartTls)]),
        new("outlook", "Microsoft (Outlook.com, Hotmail, Live)",
            ["outlook.com", "hotmail.com", "live.com", "msn.com", "passport.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de",
             "hotmail.it", "hotmail.es", "live.co.uk", "live.fr", "live.de", "outlook.de", "outlook.fr", "windowslive.com"],
            ["olc.protection.outlook.com"], OAuthKind.Microsoft,
            [Imap("outlook.office365.com"), Pop3("outlook.office365.com"), Smtp("smtp-mail.outlook.com", 587, TransportSecurity.StartTls)]),
        new("microsoft365", "Microsoft 365", [], ["mail.protection.outlook.com"], OAuthKind.Microsoft,
            [Imap("outlook.office365.com"), Pop3("outlook.office365.com"), Smtp("smtp.office365.com", 587, TransportSecurity.StartTls)]),
        new("yahoo", "Yahoo Mail", ["yahoo.com", "ymail.com", "rocketmail.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.it", "yahoo.es", "yahoo.ca", "yahoo.com.au"],
            ["am0.yahoodns.net", "yahoodns.net"], OAuthKind.None,
            [Imap("imap.mail.yahoo.com"), Pop3("pop.mail.yahoo.com"), Smtp("smtp.mail.yahoo.com")]),
        new("aol", "AOL Mail", ["aol.com", "aim.com", "love.com", "games.com"], ["mx-aol.mail.gm0.yahoodns.net"], OAuthKind.None,
            [Imap("imap.aol.com"), Pop3("pop.aol.com"), Smtp("smtp.aol.com")]),
        new("icloud", "iCloud Mail", ["icloud.com", "me.com", "mac.com"], ["mail.icloud.com"], OAuthKind.None,
            [Imap("imap.mail.me.com"), Smtp("smtp.mail.me.com", 587, TransportSecurity.StartTls)]),
        new("fastmail", "Fastmail", ["fastmail.com", "fastmail.fm", "fastmail.net", "fastmail.org", "fastmail.to", "fastmail.us", "messagingengine.com"],
            ["messagingengine.com"], OAuthKind.None,
            [Imap("imap.fastmail.com"), Pop3("pop.fastmail.com"), Smtp("smtp.fastmail.com")]),
        new("zoho", "Zoho Mail", ["zoho.com", "zohomail.com"], ["zoho.com", "zohomail.com"], OAuthKind.None,
            [Imap("imap.zoho.com"), Pop3("pop.zoho.com"), Smtp("smtp.zoho.com")]),
        new("zoho-eu", "Zoho Mail (EU)", ["zoho.eu", "zohomail.eu"], ["zoho.eu", "zohomail.eu"], OAuthKind.None,
            [Imap("imap.zoho.eu"), Pop3("pop.zoho.eu"), Smtp("smtp.zoho.eu")]),
        new("yandex", "Yandex Mail", ["yandex.ru", "yandex.com", "ya.ru", "yandex.by", "yandex.kz", "yandex.ua", "narod.ru"],
            ["mx.yandex.net", "mx.yandex.ru", "yandex.net"], OAuthKind.None,
            [Imap("imap.yandex.com"), Pop3("pop.yandex.com"), Smtp("smtp.yandex.com")]),
        new("mailru", "Mail.ru", ["mail.ru", "inbox.ru", "list.ru", "bk.ru", "internet.ru", "mail.ua"], ["mxs.mail.ru", "emx.mail.ru"], OAuthKind.None,
            [Imap("imap.mail.ru"), Pop3("pop.mail.ru"), Smtp("smtp.mail.ru")]),
        new("gmx-net", "GMX (gmx.net)", ["gmx.net", "gmx.de", "gmx.at", "gmx.ch"], ["gmx.net"], OAuthKind.None,
            [Imap("imap.gmx.net"), Pop3("pop.gmx.net"), Smtp("mail.gmx.net"), Smtp("mail.gmx.net", 587, TransportSecurity.StartTls)]),
        new("gmx-com", "GMX (gmx.com)", ["gmx.com", "gmx.us", "gmx.co.uk", "gmx.fr", "gmx.es"], ["gmx.com"], OAuthKind.None,
            [Imap("imap.gmx.com"), Pop3("pop.gmx.com"), Smtp("mail.gmx.com"), Smtp("mail.gmx.com", 587, TransportSecurity.StartTls)]),
    ];
}
