using System.Net;
using System.Text.Json;
using Mailroom.Core.Accounts;
using Mailroom.IntegrationTests.Auth;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.TestSupport.Graph;

namespace Mailroom.IntegrationTests.Graph;

/// <summary>
/// A Graph mailbox added by its owner through the web flow of <c>serve</c> (<c>/oauth/start?protocol=graph</c>): the
/// provider's login and consent, then onboarding reads the folder tree at the fake Graph with the new token.
/// </summary>
[Collection(OidcUserCollection.Name)]
public sealed class GraphWebFlowTests : IDisposable
{
    private const string Address = "mr12@mailroom.test";
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-graphweb-");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => TestArtifacts.DeleteFolder(_data);

    [Fact]
    public async Task The_web_authorization_with_protocol_graph_adds_a_graph_mailbox()
    {
        GraphTestSupport.RequireCsdl();
        OidcProvider.Require();
        await using var api = await FakeGraphApi.StartAsync(new FakeGraphMailbox(), Address, new Uri(OidcProvider.Issuer), Ct);
        var environment = OidcProvider.Environment(TimeSpan.FromSeconds(5));
        environment["MAILROOM__Graph__BaseUrl"] = api.BaseUrl.ToString();
        using var serve = MailroomProcess.Start(["--data", _data, "serve", "--urls", $"http://127.0.0.1:{OidcProvider.ServePort}"], environment: environment);
        var root = $"http://127.0.0.1:{OidcProvider.ServePort}";
        var until = DateTime.UtcNow.AddSeconds(30);
        using (var http = new HttpClient())
        {
            while (true)
            {
                try
                {
                    if ((await http.GetAsync(new Uri(root + "/health"), Ct)).IsSuccessStatusCode)
                        break;
                }
                catch (HttpRequestException)
                {
                }
                Assert.True(DateTime.UtcNow < until, "serve did not start");
                await Task.Delay(200, Ct);
            }
            // Onboarding's checks run before the person is sent to the provider.
            using var bad = await http.GetAsync(new Uri($"{root}/oauth/start?provider={OidcProvider.Name}&protocol=graph&user=not-an-address"), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        var (status, body) = await OidcProvider.AuthorizeInBrowserAsync(new Uri($"{root}/oauth/start?provider={OidcProvider.Name}&protocol=graph&user={Address}"), Ct);
        Assert.True(status == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("new", json.RootElement.GetProperty("state").GetString());
        Assert.Equal(Address, json.RootElement.GetProperty("address").GetString());
        Assert.True(api.Requests >= 1); // the new token read the folder tree before the mailbox was saved

        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite, OidcProvider.Settings(TimeSpan.FromSeconds(5)), _data);
        var mailbox = (await host.Accounts.FindMailboxAsync(Address, Ct))!;
        Assert.Equal((MailboxProtocol.Graph, OidcProvider.Name), (mailbox.Protocol, mailbox.Settings.OAuthProvider));
        Assert.NotNull(await host.Accounts.GetOAuthTokensAsync(mailbox.Id, Ct));
    }
}
