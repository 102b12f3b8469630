using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.Server.Accounts;
using Mailroom.TestSupport.Ews;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.IntegrationTests.Ews;

/// <summary>
/// Adding an EWS mailbox from its address alone: POX Autodiscover at autodiscover.ews.test and the
/// _autodiscover._tcp.srvews.test SRV record, both served by the test DNS server (scripts/lib/dns.sh), answered by the
/// fake EWS with the login it checks; the URL found is logged in to before it is stored.
/// </summary>
public sealed class EwsAutodiscoverTests : IDisposable
{
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-ewsad-");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => TestArtifacts.DeleteFolder(_data);

    private async Task<(MailroomTestHost Host, FakeEwsServer Server)> StartAsync(bool fixedPort)
    {
        var (dns, ewsPort) = LiveServers.RequireAutodiscover();
        var server = await FakeEwsServer.StartAsync(new FakeEwsMailbox(), EwsSyncTests.User, EwsSyncTests.Password, Ct, fixedPort ? ewsPort : 0);
        var host = await MailroomTestHost.StartAsync(Database.Sqlite, new Dictionary<string, string?>
        {
            ["Discovery:DnsServer"] = dns,
            ["Discovery:TrustedCaFile"] = FakeEwsServer.TestCa,
            ["Discovery:AutodiscoverPort"] = server.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, _data);
        return (host, server);
    }

    private static async Task<OnboardingResult> AddAsync(MailroomTestHost host, string address, string password, EwsAuthentication authentication) =>
        await host.Services.GetRequiredService<MailboxOnboarding>().AddAsync(new OnboardingRequest
        {
            OrganizationId = await host.Accounts.EnsureOrganizationAsync("default", Ct),
            Protocol = MailboxProtocol.Ews,
            Address = address,
            UserName = EwsSyncTests.User,
            EwsAuthentication = authentication,
        }, OnboardingSecret.FromPassword(password), Ct);

    [Fact]
    public async Task Pox_at_autodiscover_domain_finds_the_url_then_the_login_is_checked_there()
    {
        var (host, server) = await StartAsync(fixedPort: false);
        await using var _h = host;
        await using var _s = server;
        server.AutodiscoverAddresses.Add("mr17@ews.test");

        var wrong = await AddAsync(host, "mr17@ews.test", "not-the-password", EwsAuthentication.Basic);
        Assert.Equal((OnboardingFailure.LoginFailed, ConnectorErrorKind.AuthenticationFailed), (wrong.Failure, wrong.LoginError));

        var result = await AddAsync(host, "mr17@ews.test", EwsSyncTests.Password, EwsAuthentication.Basic);
        Assert.True(result.Mailbox is not null, result.Error);
        Assert.Equal("autodiscover", result.SettingsFrom);
        Assert.Equal(server.Url, result.Mailbox.Settings.ServiceUrl);
        Assert.Equal(["mr17@ews.test"], server.Autodiscovered); // the wrong password got a 401 before any answer
        // The URL found was logged in to (GetFolder) before the mailbox was stored.
        Assert.Contains("GetFolder", server.Operations);
        Assert.Single(await host.Accounts.ListMailboxesAsync(Ct));
        Assert.Empty(server.Problems);
    }

    [Fact]
    public async Task A_redirect_to_another_domain_is_followed_to_its_srv_record()
    {
        var (host, server) = await StartAsync(fixedPort: true);
        await using var _h = host;
        await using var _s = server;
        server.AutodiscoverRedirects["alias@ews.test"] = "mr17@srvews.test";
        server.AutodiscoverAddresses.Add("mr17@srvews.test");

        var result = await AddAsync(host, "alias@ews.test", EwsSyncTests.Password, EwsAuthentication.Basic);
        Assert.True(result.Mailbox is not null, result.Error);
        Assert.Equal("autodiscover-srv", result.SettingsFrom);
        Assert.Equal(server.Url, result.Mailbox.Settings.ServiceUrl);
        Assert.Equal(["alias@ews.test", "mr17@srvews.test"], server.Autodiscovered);

        // A domain with neither host nor SRV record: not discovered, and it says what was tried.
        var none = await AddAsync(host, "mr17@nothing.test", EwsSyncTests.Password, EwsAuthentication.Basic);
        Assert.Equal(OnboardingFailure.NotDiscovered, none.Failure);
        Assert.Contains("_autodiscover._tcp.nothing.test", none.Error, StringComparison.Ordinal);
        Assert.Empty(server.Problems);
    }
}
