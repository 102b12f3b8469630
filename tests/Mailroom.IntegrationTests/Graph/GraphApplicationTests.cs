using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Mailroom.IntegrationTests.Auth;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.TestSupport.Graph;
using Microsoft.Data.Sqlite;
using static Mailroom.IntegrationTests.Infrastructure.SqliteProbe;

namespace Mailroom.IntegrationTests.Graph;

/// <summary>
/// Application permissions: a provider (OAuth:Providers:tenant) whose tokens come from the OpenID test provider's
/// client_credentials grant, the mailbox chosen by address (<c>/users/{address}</c>; the fake refuses <c>/me</c> with
/// such a token). <c>account add --graph --oauth tenant</c> asks nobody, <c>sync</c> renews the token with the same
/// grant (no refresh token exists), and <c>POST /v1/mailboxes</c> with <c>"oauth"</c> adds one, while a delegated provider
/// still answers 400 pointing at <c>/v1/oauth/links</c>.
/// </summary>
[Collection(OidcUserCollection.Name)]
public sealed class GraphApplicationTests : IDisposable
{
    private const string Address = "mr12@mailroom.test";
    private const string Tenant = "tenant";
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-graphapp-");
    private readonly string _apiData = TestArtifacts.CreateDataFolder("mailroom-graphapp-api-");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        TestArtifacts.DeleteFolder(_data);
        TestArtifacts.DeleteFolder(_apiData);
    }

    private static Dictionary<string, string> Environment(FakeGraphApi api)
    {
        var environment = OidcProvider.Environment(TimeSpan.FromSeconds(5));
        environment[$"MAILROOM__OAuth__Providers__{Tenant}__Authority"] = OidcProvider.Issuer;
        environment[$"MAILROOM__OAuth__Providers__{Tenant}__ClientId"] = "mailroom";
        environment[$"MAILROOM__OAuth__Providers__{Tenant}__ClientSecret"] = Env("MAILROOM_TEST_OIDC_CLIENT_SECRET") ?? "mailroom-test-client-secret";
        environment[$"MAILROOM__OAuth__Providers__{Tenant}__ApplicationPermissions"] = "true";
        environment["MAILROOM__Graph__BaseUrl"] = api.BaseUrl.ToString();
        return environment;
    }

    [Fact]
    public async Task Account_add_with_a_client_credential_asks_nobody_and_sync_renews_its_token_with_the_same_grant()
    {
        GraphTestSupport.RequireCsdl();
        OidcProvider.Require();
        var mailbox = new FakeGraphMailbox();
        for (var n = 1; n <= 25; n++)
            mailbox.Add("inbox", GraphSyncTests.Raw(n), "c" + n.ToString(CultureInfo.InvariantCulture), DateTimeOffset.FromUnixTimeSeconds(1_767_225_600 + n));
        await using var api = await FakeGraphApi.StartAsync(mailbox, Address, new Uri(OidcProvider.Issuer), Ct);
        var environment = Environment(api);
        var grants = OidcProvider.Count("/token", "client_credentials", 200);

        // No stdin, no device flow: the client credential alone.
        var (code, stdout, stderr) = await MailroomProcess.RunAsync(["--data", _data, "account", "add", Address, "--graph", "--oauth", Tenant, "--json"],
            environment: environment);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("\"protocol\": \"graph\"", stdout, StringComparison.Ordinal);
        Assert.Equal(grants + 1, OidcProvider.Count("/token", "client_credentials", 200));
        Assert.True(api.ApplicationRequests >= 1); // the folder tree was read at /users/{address} before the mailbox was saved

        // A token about to expire (RefreshBefore beyond its 10 minutes) is renewed by the client credentials grant.
        environment["MAILROOM__OAuth__RefreshBefore"] = "00:15:00";
        (code, stdout, stderr) = await MailroomProcess.RunAsync(["--data", _data, "sync", "--json"], environment: environment);
        Assert.True(code == 0, stderr + stdout);
        Assert.True(OidcProvider.Count("/token", "client_credentials", 200) >= grants + 2);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(_data, "mailroom.db")};Pooling=false");
        Assert.Equal(25L, await ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM messages"));
        Assert.Equal(25L, await ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM folder_memberships fm JOIN folders f ON f.id = fm.folder_id WHERE f.role = 'Inbox'"));
        Assert.Equal(0L, await ScalarOfProcessAsync(db, "SELECT COUNT(*) FROM mailboxes WHERE protected_refresh_token IS NOT NULL"));
    }

    [Fact]
    public async Task Post_mailboxes_with_an_application_provider_adds_it_and_a_delegated_one_points_at_links()
    {
        GraphTestSupport.RequireCsdl();
        OidcProvider.Require();
        await using var api = await FakeGraphApi.StartAsync(new FakeGraphMailbox(), Address, new Uri(OidcProvider.Issuer), Ct);
        var port = FreePort();
        var (exit, keyOut, keyErr) = await MailroomProcess.RunAsync(["--data", _apiData, "apikey", "create", "--name", "graph-app"]);
        Assert.True(exit == 0, keyErr);
        var key = keyOut.Trim();
        TestArtifacts.RecordSecrets("apikey", key);
        using var serve = MailroomProcess.Start(["--data", _apiData, "serve", "--urls", $"http://127.0.0.1:{port}"], environment: Environment(api));

        var (delegated, delegatedBody) = await PostAsync(port, key, new() { ["protocol"] = "graph", ["oauth"] = OidcProvider.Name, ["address"] = Address });
        Assert.Equal(HttpStatusCode.BadRequest, delegated);
        Assert.Contains("/v1/oauth/links", delegatedBody, StringComparison.Ordinal);
        var (unknownUser, unknownBody) = await PostAsync(port, key, new() { ["protocol"] = "graph", ["oauth"] = Tenant, ["address"] = "nobody@mailroom.test" });
        Assert.True(unknownUser is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadGateway, unknownBody);

        var (created, body) = await PostAsync(port, key, new() { ["protocol"] = "graph", ["oauth"] = Tenant, ["address"] = Address });
        Assert.True(created == HttpStatusCode.Created, body);
        using var json = JsonDocument.Parse(body);
        var mailbox = json.RootElement.GetProperty("mailbox");
        Assert.Equal("graph", mailbox.GetProperty("protocol").GetString());
        Assert.Equal(Tenant, mailbox.EnumerateObject().Single(p => p.Name.Equals("oauthProvider", StringComparison.OrdinalIgnoreCase)).Value.GetString());
        serve.Kill();
        await serve.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(int port, string key, Dictionary<string, object> request)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{port}/v1/mailboxes"),
                    new StringContent(JsonSerializer.Serialize(request), Encoding.UTF8, "application/json"), Ct);
                return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
            }
            catch (HttpRequestException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(200, Ct); // serve is starting
            }
        }
    }

    private static string? Env(string name) => System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
