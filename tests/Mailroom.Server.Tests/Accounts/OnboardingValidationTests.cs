using Mailroom.Core.Accounts;
using Mailroom.Server.Accounts;

namespace Mailroom.Server.Tests.Accounts;

/// <summary>What onboarding refuses before it asks for a secret or touches the network, and which field it blames.</summary>
public sealed class OnboardingValidationTests
{
    private static readonly OnboardingRequest Imap = new() { OrganizationId = 1, Host = "imap.example.org", UserName = "bench1" };

    public static TheoryData<string, string> Refused => new()
    {
        { "no-server", "address" },
        { "bad-address", "address" },
        { "bad-host", "host" },
        { "two-ports", "port" },
        { "port-range", "port" },
        { "no-login", "userName" },
        { "plaintext", "allowPlaintext" },
        { "smtp-plaintext", "allowPlaintext" },
        { "pop3-contacts", "scope" },
        { "archive", "protocol" },
        { "bad-smtp-host", "smtp.host" },
        { "long-name", "name" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Refused_requests_name_their_field(string what, string field)
    {
        var request = what switch
        {
            "no-server" => new OnboardingRequest { OrganizationId = 1 },
            "bad-address" => new OnboardingRequest { OrganizationId = 1, Address = "bench1" },
            "bad-host" => Imap with { Host = "im ap" },
            "two-ports" => Imap with { Host = "imap.example.org:993", Port = 143 },
            "port-range" => Imap with { Port = 70000 },
            "no-login" => Imap with { UserName = null },
            "plaintext" => Imap with { Security = TransportSecurity.None },
            "smtp-plaintext" => Imap with { Smtp = new OnboardingSmtp("smtp.example.org", null, TransportSecurity.None, null) },
            "pop3-contacts" => Imap with { Protocol = MailboxProtocol.Pop3, Scope = MailboxScope.Contacts },
            "archive" => Imap with { Protocol = MailboxProtocol.Archive },
            "bad-smtp-host" => Imap with { Smtp = new OnboardingSmtp("smtp/x", null, null, null) },
            "long-name" => Imap with { Name = new string('n', 201) },
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        var result = MailboxOnboarding.Validate(request);

        Assert.NotNull(result);
        Assert.Equal(OnboardingFailure.Invalid, result.Failure);
        Assert.Equal(field, result.Field);
        Assert.False(string.IsNullOrEmpty(result.Error));
    }

    [Fact]
    public void A_missing_ca_file_is_a_missing_file()
    {
        var result = MailboxOnboarding.Validate(Imap with { TrustedCaFile = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "ca.pem") });
        Assert.Equal(OnboardingFailure.FileNotFound, result?.Failure);
    }

    [Theory]
    [InlineData(null, "bench1", null)]
    [InlineData(null, "Bench1@Bench.TEST", "bench1@bench.test")]
    [InlineData("Me@Example.org", "bench1", "me@example.org")]
    [InlineData("me@xn--bcher-kva.example", "bench1", "me@bücher.example")]
    public void The_address_is_the_one_given_else_the_login_when_it_is_one(string? address, string login, string? expected) =>
        Assert.Equal(expected, MailboxOnboarding.OwnAddress(address, login));

    [Fact]
    public void Acceptable_requests_pass()
    {
        Assert.Null(MailboxOnboarding.Validate(Imap));
        Assert.Null(MailboxOnboarding.Validate(new OnboardingRequest { OrganizationId = 1, Address = "me@example.org" }));
        Assert.Null(MailboxOnboarding.Validate(Imap with { Host = "[::1]:10143", Security = TransportSecurity.None, AllowPlaintext = true }));
    }
}
