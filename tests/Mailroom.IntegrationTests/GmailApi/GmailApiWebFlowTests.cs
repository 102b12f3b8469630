using System.Net;
using System.Text.Json;
using Mailroom.Core.Accounts;
using Mailroom.IntegrationTests.Auth;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.TestSupport.Gmail;

namespace Mailroom.IntegrationTests.GmailApi;

/// <summary>
/// The web OAuth flow of <c>serve</c> adding a Gmail API mailbox (a link from <c>POST /v1/oauth/links</c> with protocol
/// gmail-api): the token is
/// checked against the (fake) API before the mailbox is stored, through the same onboarding as the CLI.
/// </summary>
[Collection(OidcUserCollection.Name)]
public sealed class GmailApiWebFlowTests : IDisposable
{
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-gmailweb-");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => TestArtifacts.DeleteFolder(_data);

    [Fact]
    public async Task The_web_authorization_adds_a_gmail_api_mailbox()
    {
        OidcProvider.Require();
        await using var api = await FakeGmailApi.StartAsync(new FakeGmailMailbox(), new Uri(OidcProvider.Issuer), Ct);
        var environment = OidcProvider.Environment(TimeSpan.FromSeconds(5));
        environment["MAILROOM__Gmail__ApiBaseUrl"] = api.Address.ToString();
        var serveUrl = $"http://127.0.0.1:{OidcProvider.ServePort}";
        // The provider knows one redirect URI (this port), which other test suites' `serve` may hold for a while.
        await WaitForFreePortAsync(OidcProvider.ServePort, TimeSpan.FromMinutes(3));
        using var serve = MailroomProcess.Start(["--data", _data, "serve", "--urls", serveUrl], environment: environment);
        using (var http = new HttpClient())
        {
            for (var i = 0; ; i++)
            {
                Assert.False(serve.HasExited, "serve ended (the port taken meanwhile?)");
                try
                {
                    if ((await http.GetAsync(new Uri(serveUrl + "/health"), Ct)).IsSuccessStatusCode)
                        break;
                }
                catch (HttpRequestException) when (i < 150)
                {
                }
                await Task.Delay(200, Ct);
            }
            // Nobody starts a connection anonymously.
            using var anonymous = await http.GetAsync(new Uri($"{serveUrl}/oauth/start?provider={OidcProvider.Name}&protocol=gmail-api&user=mr12@mailroom.test"), Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        // A link made with an API key (POST /v1/oauth/links, protocol gmail-api); onboarding's checks run when it is made.
        var (exit, keyOut, keyErr) = await MailroomProcess.RunAsync(["--data", _data, "apikey", "create", "--name", "gmail-links"], environment: environment);
        Assert.True(exit == 0, keyErr);
        var key = keyOut.Trim();
        TestArtifacts.RecordSecrets("apikey", key);
        var (badStatus, _) = await LinkAsync(serveUrl, key, new() { ["provider"] = OidcProvider.Name, ["protocol"] = "gmail-api", ["user"] = "not-an-address" });
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        var (linkStatus, link) = await LinkAsync(serveUrl, key, new()
        {
            ["provider"] = OidcProvider.Name, ["protocol"] = "gmail-api", ["user"] = "mr12@mailroom.test", ["name"] = "web-gmail",
        });
        Assert.True(linkStatus == HttpStatusCode.Created, link);
        var start = new Uri(link);
        var (status, body) = await OidcProvider.AuthorizeInBrowserAsync(start, Ct);
        Assert.True(status == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("mr12@mailroom.test", json.RootElement.GetProperty("address").GetString());
        Assert.True(api.Requests >= 1); // the token was tried at the API (users.getProfile) before anything was stored
        serve.Kill();
        await serve.WaitAsync(TimeSpan.FromSeconds(10));

        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite, OidcProvider.Settings(TimeSpan.FromSeconds(5)), _data);
        var mailbox = (await host.Accounts.FindMailboxAsync("web-gmail", Ct))!;
        Assert.Equal((MailboxProtocol.GmailApi, OidcProvider.Name), (mailbox.Protocol, mailbox.Settings.OAuthProvider));
        Assert.NotNull(await host.Accounts.GetOAuthTokensAsync(mailbox.Id, Ct));
    }

    private static async Task<(HttpStatusCode Status, string Url)> LinkAsync(string serveUrl, string key, Dictionary<string, object> connection)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var response = await http.PostAsync(new Uri($"{serveUrl}/v1/oauth/links"),
            new StringContent(JsonSerializer.Serialize(connection), System.Text.Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.GetProperty("url").GetString()! : text);
    }

    private static async Task WaitForFreePortAsync(int port, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(500, Ct);
            }
            finally
            {
                listener.Stop();
            }
        }
    }
}
