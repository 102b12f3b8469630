using System.Net;
using System.Text.Json;
using Mailroom.Core.Accounts;
using Mailroom.IntegrationTests.Auth;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.TestSupport.Graph;

namespace Mailroom.IntegrationTests.Graph;

/// <summary>
/// A Graph mailbox added by its owner through the web flow of <c>serve</c> (a link from <c>POST /v1/oauth/links</c> with protocol graph): the
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
        }

        // A link made with an API key (POST /v1/oauth/links, protocol graph); onboarding's checks run when it is made.
        var (exit, keyOut, keyErr) = await MailroomProcess.RunAsync(["--data", _data, "apikey", "create", "--name", "graph-links"]);
        Assert.True(exit == 0, keyErr);
        var key = keyOut.Trim();
        TestArtifacts.RecordSecrets("apikey", key);
        var (badStatus, _) = await LinkAsync(key, new() { ["provider"] = OidcProvider.Name, ["protocol"] = "graph", ["user"] = "not-an-address" });
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        var (linkStatus, start) = await LinkAsync(key, new() { ["provider"] = OidcProvider.Name, ["protocol"] = "graph", ["user"] = Address });
        Assert.True(linkStatus == HttpStatusCode.Created, start);

        var (status, body) = await OidcProvider.AuthorizeInBrowserAsync(new Uri(start), Ct);
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

    /// <summary>POST /v1/oauth/links on the running serve: the status and the one-time URL (or the problem).</summary>
    private static async Task<(HttpStatusCode Status, string Url)> LinkAsync(string key, Dictionary<string, object> connection)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{OidcProvider.ServePort}/v1/oauth/links"),
            new StringContent(JsonSerializer.Serialize(connection), System.Text.Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.GetProperty("url").GetString()! : text);
    }
}
