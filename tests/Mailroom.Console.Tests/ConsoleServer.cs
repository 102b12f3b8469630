using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Mailroom.IntegrationTests.Html;
using Mailroom.IntegrationTests.Infrastructure;

namespace Mailroom.Console.Tests;

/// <summary>
/// A real <c>mailroom serve</c> (the built binary, as a child process) over a fresh data folder, with the console
/// users the tests sign in as: an admin of "acme", a member of "acme", and an admin of "globex" (the other
/// organization). It listens on the port the OpenID test provider redirects to (MAILROOM_TEST_OIDC_CONSOLE_PORT).
/// </summary>
public sealed class ConsoleServer : IAsyncLifetime
{
    public const string Admin = "ann";
    public const string Member = "max";
    public const string OtherAdmin = "olga";
    public const string Password = "console-test-password";

    /// <summary>The OpenID provider's name on the sign-in page.</summary>
    public const string SsoName = "Test SSO";

    private MailroomProcess? _serve;

    public string DataPath { get; } = TestArtifacts.CreateDataFolder("mailroom-console-");

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The OpenID provider of the test environment, configured as OAuth provider "local".</summary>
    public static string OidcIssuer => Env("MAILROOM_TEST_OIDC_ISSUER") ?? "http://127.0.0.1:11480";

    public static string OidcUser => Env("MAILROOM_TEST_OIDC_USER") ?? "mr12";

    public static bool HasOidc => Env("MAILROOM_TEST_OIDC_ISSUER") is not null;

    /// <summary>
    /// Skips (or fails under test.sh) unless the OpenID provider runs and redirects to this serve's port
    /// (MAILROOM_TEST_OIDC_CONSOLE_PORT, registered by scripts/lib/oidc.sh).
    /// </summary>
    public static void RequireOAuth()
    {
        if (HasOidc && Env("MAILROOM_TEST_OIDC_CONSOLE_PORT") is not null)
            return;
        const string message = "the OpenID test provider is not configured for the console (MAILROOM_TEST_OIDC_*): run scripts/test-env.sh up and eval \"$(scripts/test-env.sh env)\".";
        if (Env("MAILROOM_REQUIRE_LIVE") == "1")
            Assert.Fail(message);
        Assert.Skip(message);
    }

    /// <summary>The Dovecot user whose mailbox the password tests connect (its own, so no other test resets it).</summary>
    public static string MailUser => Env("MAILROOM_TEST_CONSOLE_USER") ?? "mr21";

    public async ValueTask InitializeAsync()
    {
        LiveServers.RequireDovecot();
        Chromium.Require();
        await AddUserAsync(Admin, "acme", "admin");
        await AddUserAsync(Member, "acme", "member");
        await AddUserAsync(OtherAdmin, "globex", "admin");

        var port = Env("MAILROOM_TEST_OIDC_CONSOLE_PORT") is { } configured
            ? int.Parse(configured, CultureInfo.InvariantCulture)
            : FreePort();
        BaseUri = new Uri($"http://127.0.0.1:{port}");
        var environment = new Dictionary<string, string>
        {
            ["MAILROOM__Discovery__TrustedCaFile"] = LiveServers.CaFile!,
            ["MAILROOM__Worker__ReconnectInitial"] = "00:00:00.500",
            ["MAILROOM__Console__MaxFailedSignIns"] = "3",
            // The webhook test's receiver listens on loopback; its retries come quickly.
            ["MAILROOM__Webhooks__AllowedNetworks__0"] = "127.0.0.1/32",
            ["MAILROOM__Webhooks__RetryInitial"] = "00:00:00.500",
            ["MAILROOM__Webhooks__RetryCap"] = "00:00:02",
        };
        if (HasOidc)
        {
            environment["MAILROOM__OAuth__Providers__local__Authority"] = OidcIssuer;
            environment["MAILROOM__OAuth__Providers__local__ClientId"] = "mailroom";
            environment["MAILROOM__OAuth__Providers__local__ClientSecret"] = Env("MAILROOM_TEST_OIDC_CLIENT_SECRET") ?? "";
            environment["MAILROOM__OAuth__Providers__local__Scopes__0"] = "openid";
            environment["MAILROOM__OAuth__Providers__local__Scopes__1"] = "offline_access";
            environment["MAILROOM__OAuth__Providers__local__Scopes__2"] = "email";
            // Single sign-on to the console at the same provider: its addresses are @mailroom.test (acme's domain here).
            environment["MAILROOM__Console__OpenIdConnect__Authority"] = OidcIssuer;
            environment["MAILROOM__Console__OpenIdConnect__ClientId"] = "mailroom";
            environment["MAILROOM__Console__OpenIdConnect__ClientSecret"] = Env("MAILROOM_TEST_OIDC_CLIENT_SECRET") ?? "";
            environment["MAILROOM__Console__OpenIdConnect__DisplayName"] = SsoName;
            environment["MAILROOM__Console__OpenIdConnect__Organizations__mailroom.test"] = "acme";
        }
        _serve = MailroomProcess.Start(["--data", DataPath, "serve", "--urls", BaseUri.ToString().TrimEnd('/')], environment: environment);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync(new Uri(BaseUri, "/health"))).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !_serve.HasExited)
            {
            }
            if (DateTime.UtcNow >= deadline || _serve.HasExited)
            {
                var (_, stdout, stderr) = await _serve.WaitAsync(TimeSpan.FromSeconds(5));
                throw new InvalidOperationException($"serve did not start: {stdout}{stderr}");
            }
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _serve?.Dispose();
        await Task.CompletedTask;
    }

    /// <summary>Runs the mailroom CLI on this data folder (while serve runs, as an operator would).</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> CliAsync(string? stdin, params string[] args) =>
        await MailroomProcess.RunAsync(["--data", DataPath, .. args], stdin);

    public async Task AddUserAsync(string name, string org, string role)
    {
        var (exit, _, stderr) = await CliAsync(Password + "\n", "user", "add", name, "--org", org, "--role", role);
        if (exit != 0)
            throw new InvalidOperationException($"user add {name}: {stderr}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
}
