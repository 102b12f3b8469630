using Mailroom.Server.WebConsole.SingleSignOn;

namespace Mailroom.Server.Tests.WebConsole;

/// <summary>The organization rule of single sign-on and the settings it refuses at start.</summary>
public sealed class OpenIdSignInOptionsTests
{
    private static OpenIdSignInOptions With(params (string Domain, string Organization)[] map)
    {
        var options = new OpenIdSignInOptions { Authority = "https://login.example.com", ClientId = "mailroom" };
        foreach (var (domain, organization) in map)
            options.Organizations[domain] = organization;
        return options;
    }

    [Theory]
    [InlineData("ann@acme.example", "acme")]
    [InlineData("Ann@ACME.Example", "acme")]
    [InlineData("ann@sub.acme.example", null)]   // a subdomain is another domain
    [InlineData("ann@globex.example", "globex")]
    [InlineData("ann@other.example", null)]
    [InlineData("no-at-sign", null)]
    [InlineData("ann@", null)]
    [InlineData("@acme.example", null)]
    public void The_email_domain_picks_the_organization(string email, string? organization) =>
        Assert.Equal(organization, With(("acme.example", "acme"), ("globex.example", "globex")).OrganizationFor(email));

    [Fact]
    public void A_star_takes_every_other_domain() =>
        Assert.Equal("everyone", With(("acme.example", "acme"), ("*", "everyone")).OrganizationFor("x@other.example"));

    [Theory]
    [InlineData("http://login.example.com", "mailroom", true, "member")]   // clear text off loopback
    [InlineData("https://login.example.com", "", true, "member")]          // no client
    [InlineData("https://login.example.com", "mailroom", false, "member")] // no organization rule
    [InlineData("https://login.example.com", "mailroom", true, "owner")]   // no such role
    public void Settings_that_cannot_work_are_refused_at_start(string authority, string clientId, bool mapped, string role)
    {
        var options = new OpenIdSignInOptions { Authority = authority, ClientId = clientId, Role = role };
        if (mapped)
            options.Organizations["acme.example"] = "acme";
        Assert.Throws<InvalidOperationException>(() => options.Validate());
    }

    [Fact]
    public void Loopback_http_is_allowed_and_no_authority_means_off()
    {
        var loopback = With(("acme.example", "acme"));
        loopback.Authority = "http://127.0.0.1:11480";
        Assert.Same(loopback, loopback.Validate());
        Assert.False(new OpenIdSignInOptions().Validate().Enabled);
    }
}
