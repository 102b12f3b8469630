using Mailroom.Connectors.Discovery;
using Mailroom.Core.Accounts;

namespace Mailroom.Connectors.Tests.Discovery;

public sealed class SrvAndAddressTests
{
    [Fact]
    public void Srv_records_are_ordered_by_priority_across_services_then_implicit_tls_then_weight()
    {
        SrvLookup.SrvEntry E(TransportSecurity s, string host, int priority, int weight) => new(MailProtocol.Imap, s, host, 1, priority, weight);
        var ordered = SrvLookup.Order(
        [
            E(TransportSecurity.StartTls, "starttls-p0", 0, 0),
            E(TransportSecurity.Tls, "tls-p10", 10, 0),
            E(TransportSecurity.Tls, "tls-p0-light", 0, 1),
            E(TransportSecurity.Tls, "tls-p0-heavy", 0, 50),
        ]).Select(e => e.Target);
        Assert.Equal(["tls-p0-heavy", "tls-p0-light", "starttls-p0", "tls-p10"], ordered);
    }

    [Fact]
    public void Prefix_guesses_prefer_implicit_tls_and_the_protocols_own_name()
    {
        var guesses = PrefixLookup.Guesses(new MailAddress("a@example.org", "a", "example.org"), new DiscoveryOptions.ProbePortSettings())
            .Where(g => g.Protocol == MailProtocol.Imap).Select(g => $"{g.Host}:{g.Port}");
        Assert.Equal(["imap.example.org:993", "imap.example.org:143", "mail.example.org:993", "mail.example.org:143"], guesses);
    }

    [Theory]
    [InlineData("Jane@Example.ORG", "Jane", "example.org")]
    [InlineData(" jane@example.org. ", "jane", "example.org")]
    [InlineData("ivan@почта.рф", "ivan", "xn--80a1acny.xn--p1ai")]
    public void Addresses_are_split_with_an_ascii_lower_case_domain(string text, string local, string domain)
    {
        Assert.True(MailAddress.TryParse(text, out var address, out var error), error);
        Assert.Equal((local, domain), (address!.LocalPart, address.Domain));
    }

    [Theory]
    [InlineData("")]
    [InlineData("example.org")]
    [InlineData("@example.org")]
    [InlineData("jane@")]
    [InlineData("jane@localhost")]
    [InlineData("ja ne@example.org")]
    [InlineData("jane@exa mple.org")]
    [InlineData("jane@example..org")]
    public void Invalid_addresses_are_refused_with_a_reason(string text)
    {
        Assert.False(MailAddress.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
