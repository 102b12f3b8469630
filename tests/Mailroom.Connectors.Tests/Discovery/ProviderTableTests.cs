using Mailroom.Connectors.Discovery;
using Mailroom.Core.Accounts;

namespace Mailroom.Connectors.Tests.Discovery;

public sealed class ProviderTableTests
{
    private static readonly ProviderTable Table = new([]);

    [Theory]
    [InlineData("gmail.com", "google", "imap.gmail.com", OAuthKind.Google)]
    [InlineData("googlemail.com", "google", "imap.gmail.com", OAuthKind.Google)]
    [InlineData("outlook.com", "outlook", "outlook.office365.com", OAuthKind.Microsoft)]
    [InlineData("hotmail.com", "outlook", "outlook.office365.com", OAuthKind.Microsoft)]
    [InlineData("live.com", "outlook", "outlook.office365.com", OAuthKind.Microsoft)]
    [InlineData("yahoo.com", "yahoo", "imap.mail.yahoo.com", OAuthKind.None)]
    [InlineData("icloud.com", "icloud", "imap.mail.me.com", OAuthKind.None)]
    [InlineData("me.com", "icloud", "imap.mail.me.com", OAuthKind.None)]
    [InlineData("fastmail.com", "fastmail", "imap.fastmail.com", OAuthKind.None)]
    [InlineData("zoho.com", "zoho", "imap.zoho.com", OAuthKind.None)]
    [InlineData("yandex.ru", "yandex", "imap.yandex.com", OAuthKind.None)]
    [InlineData("mail.ru", "mailru", "imap.mail.ru", OAuthKind.None)]
    [InlineData("gmx.net", "gmx-net", "imap.gmx.net", OAuthKind.None)]
    [InlineData("gmx.com", "gmx-com", "imap.gmx.com", OAuthKind.None)]
    [InlineData("aol.com", "aol", "imap.aol.com", OAuthKind.None)]
    public void Big_providers_are_known_by_domain(string domain, string id, string imapHost, OAuthKind oauth)
    {
        var provider = Table.ByDomain(domain);
        Assert.NotNull(provider);
        Assert.Equal(id, provider.Id);
        Assert.Equal(oauth, provider.OAuth);
        var imap = provider.Servers.First(s => s.Protocol == MailProtocol.Imap);
        Assert.Equal((imapHost, 993, TransportSecurity.Tls), (imap.Host, imap.Port, imap.Security));
        Assert.Contains(provider.Servers, s => s.Protocol == MailProtocol.Smtp);
        Assert.DoesNotContain(provider.Servers, s => s.Security == TransportSecurity.None);
    }

    [Theory]
    [InlineData("aspmx.l.google.com", "google")]
    [InlineData("alt1.aspmx.l.google.com.", "google")]
    [InlineData("contoso-com.mail.protection.outlook.com", "microsoft365")]
    [InlineData("mta5.am0.yahoodns.net", "yahoo")]
    [InlineData("mx-aol.mail.gm0.yahoodns.net", "aol")]
    [InlineData("mx01.mail.icloud.com", "icloud")]
    [InlineData("in1-smtp.messagingengine.com", "fastmail")]
    [InlineData("mx.zoho.eu", "zoho-eu")]
    [InlineData("mx.yandex.net", "yandex")]
    [InlineData("emx.mail.ru", "mailru")]
    [InlineData("mxs.mail.ru", "mailru")]
    [InlineData("notgoogle.com", null)]
    [InlineData("mail.example.org", null)]
    public void Mx_hosts_map_to_providers_by_whole_label_suffix(string mx, string? id)
    {
        Assert.Equal(id, Table.ByMxHost(mx)?.Id);
    }

    [Fact]
    public void Configured_providers_come_before_the_built_in_ones()
    {
        var configured = new ProviderSettings
        {
            Id = "own-gmail",
            Domains = ["GMAIL.com"],
            Servers = [new() { Protocol = MailProtocol.Imap, Host = "imap.internal", Port = 993 }],
        }.ToProvider();
        Assert.Equal("own-gmail", new ProviderTable([configured]).ByDomain("gmail.com")?.Id);
    }

    [Fact]
    public void A_configured_plaintext_server_is_refused()
    {
        var settings = new ProviderSettings
        {
            Id = "bad",
            Servers = [new() { Protocol = MailProtocol.Imap, Host = "imap.internal", Port = 143, Security = TransportSecurity.None }],
        };
        Assert.Throws<InvalidOperationException>(() => settings.ToProvider());
    }
}
