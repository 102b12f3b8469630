using Mailroom.Connectors.Discovery;
using Mailroom.Core.Accounts;

namespace Mailroom.Connectors.Tests.Discovery;

public sealed class AutoconfigDocumentTests
{
    private static readonly MailAddress Address = new("jane.doe@example.org", "jane.doe", "example.org");

    private static string Document(string servers) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <clientConfig version="1.1">
          <emailProvider id="example.org">
            <domain>example.org</domain>
            <displayName>Example</displayName>
            {servers}
          </emailProvider>
        </clientConfig>
        """;

    private static string Server(string element, string type, string host, string port, string socketType, string user) => $"""
        <{element} type="{type}">
          <hostname>{host}</hostname><port>{port}</port><socketType>{socketType}</socketType>
          <username>{user}</username><authentication>password-cleartext</authentication>
        </{element}>
        """;

    public static TheoryData<string, string, MailProtocol, string, int, TransportSecurity, string> Servers => new()
    {
        { "incomingServer", "imap", MailProtocol.Imap, "imap.example.org", 993, TransportSecurity.Tls, "jane.doe@example.org" },
        { "incomingServer", "pop3", MailProtocol.Pop3, "pop.example.org", 995, TransportSecurity.Tls, "jane.doe@example.org" },
        { "outgoingServer", "smtp", MailProtocol.Smtp, "smtp.example.org", 587, TransportSecurity.StartTls, "jane.doe@example.org" },
    };

    [Theory]
    [MemberData(nameof(Servers))]
    public void Each_server_type_becomes_a_candidate(string element, string type, MailProtocol protocol, string host, int port, TransportSecurity security, string user)
    {
        var socketType = security == TransportSecurity.Tls ? "SSL" : "STARTTLS";
        var (candidates, notes) = AutoconfigDocument.Parse(Document(Server(element, type, host, port.ToString(System.Globalization.CultureInfo.InvariantCulture), socketType, "%EMAILADDRESS%")), Address);
        Assert.Equal([new ServerCandidate(protocol, host, port, security, user)], candidates);
        Assert.Empty(notes);
    }

    [Theory]
    [InlineData("%EMAILADDRESS%", "jane.doe@example.org")]
    [InlineData("%EMAILLOCALPART%", "jane.doe")]
    [InlineData("%EMAILLOCALPART%@mail.%EMAILDOMAIN%", "jane.doe@mail.example.org")]
    [InlineData("fixed-login", "fixed-login")]
    [InlineData("", "jane.doe@example.org")]
    public void Username_placeholders_are_filled_in(string pattern, string expected)
    {
        var (candidates, _) = AutoconfigDocument.Parse(Document(Server("incomingServer", "imap", "imap.%EMAILDOMAIN%", "993", "SSL", pattern)), Address);
        Assert.Equal(expected, Assert.Single(candidates).UserName);
        Assert.Equal("imap.example.org", candidates[0].Host);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("")]
    public void Plaintext_servers_are_never_offered(string socketType)
    {
        var (candidates, notes) = AutoconfigDocument.Parse(Document(Server("incomingServer", "imap", "imap.example.org", "143", socketType, "%EMAILADDRESS%")), Address);
        Assert.Empty(candidates);
        Assert.Contains("plaintext", Assert.Single(notes), StringComparison.Ordinal);
    }

    [Fact]
    public void Document_order_is_kept_and_other_types_are_skipped()
    {
        var xml = Document(
            Server("incomingServer", "exchange", "ews.example.org", "443", "SSL", "%EMAILADDRESS%") +
            Server("incomingServer", "imap", "a.example.org", "993", "SSL", "%EMAILADDRESS%") +
            Server("incomingServer", "imap", "b.example.org", "143", "STARTTLS", "%EMAILADDRESS%") +
            Server("incomingServer", "imap", "c.example.org", "99999", "SSL", "%EMAILADDRESS%"));
        var (candidates, notes) = AutoconfigDocument.Parse(xml, Address);
        Assert.Equal(["a.example.org", "b.example.org"], candidates.Select(c => c.Host));
        Assert.Equal(2, notes.Count);
    }

    [Theory]
    [InlineData("<html><body>Not here</body></html>")]
    [InlineData("<clientConfig version=\"1.1\"></clientConfig>")]
    [InlineData("not xml at all")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><clientConfig><emailProvider>&e;</emailProvider></clientConfig>")]
    public void Anything_else_is_an_error_not_an_answer(string xml)
    {
        Assert.ThrowsAny<Exception>(() => AutoconfigDocument.Parse(xml, Address));
    }
}
