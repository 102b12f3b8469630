using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Mailroom.Connectors.Auth;
using Mailroom.Connectors.Imap;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.IntegrationTests.Infrastructure;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.IntegrationTests.Auth;

/// <summary>
/// OAuth2 end to end: tokens from a real OpenID provider on 127.0.0.1 (npm oidc-provider, access tokens living
/// 30 s), Dovecot's oauth2 passdb checking them by introspection, Mailroom's IMAP connector logging in with
/// OAUTHBEARER or XOAUTH2. One class, so its tests (all on the user mr12) run one after another.
/// </summary>
[Collection(OidcUserCollection.Name)]
public sealed class OAuthImapTests : IDisposable
{
    private readonly string _data = TestArtifacts.CreateDataFolder("mailroom-oauth-");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string User => OidcProvider.User;

    private static MailboxSettings Settings(string? provider = OidcProvider.Name) => new()
    {
        Host = LiveServers.Host,
        Port = LiveServers.ImapPort,
        UserName = User,
        Security = TransportSecurity.StartTls,
        TrustedCaFile = LiveServers.CaFile,
        OAuthProvider = provider,
    };

    [Fact]
    public async Task The_web_authorization_adds_a_new_mailbox_through_onboarding()
    {
        OidcProvider.Require();
        LiveServers.RequireDovecot();
        var environment = OidcProvider.Environment(TimeSpan.FromSeconds(5));
        environment["MAILROOM__Discovery__TrustedCaFile"] = LiveServers.CaFile!;
        using var serve = MailroomProcess.Start(
            ["--data", _data, "serve", "--urls", $"http://127.0.0.1:{OidcProvider.ServePort}"], environment: environment);
        await WaitAsync(async () =>
        {
            using var http = new HttpClient();
            try
            {
                return (await http.GetAsync(new Uri($"http://127.0.0.1:{OidcProvider.ServePort}/health"), Ct)).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30));

        // Nobody starts a connection anonymously: only a signed-in console user or a link made with an API key.
        var key = await ApiKeyAsync();
        var anonymous = $"http://127.0.0.1:{OidcProvider.ServePort}/oauth/start?provider={OidcProvider.Name}&user={User}"
            + $"&imap={LiveServers.Host}:{LiveServers.ImapPort}&security=starttls&name=web";
        using (var http = new HttpClient())
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri(anonymous), Ct)).StatusCode);

        // Refused before the person is sent to the provider: onboarding's checks run when the link is made.
        var connection = new Dictionary<string, object>
        {
            ["provider"] = OidcProvider.Name, ["user"] = User, ["imap"] = $"{LiveServers.Host}:{LiveServers.ImapPort}",
            ["security"] = "starttls", ["name"] = "web", ["address"] = "not-an-address",
        };
        var (badStatus, _) = await LinkAsync(key, connection);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        connection["address"] = $"{User}@mailroom.test";
        var (linkStatus, start) = await LinkAsync(key, connection);
        Assert.Equal(HttpStatusCode.Created, linkStatus);

        var (status, body) = await OidcProvider.AuthorizeInBrowserAsync(new Uri(start), Ct);
        Assert.True(status == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        Assert.False(json.RootElement.GetProperty("reauthorized").GetBoolean());
        Assert.Equal("new", json.RootElement.GetProperty("state").GetString());
        Assert.Equal($"{User}@mailroom.test", json.RootElement.GetProperty("address").GetString());

        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite, OidcProvider.Settings(TimeSpan.FromSeconds(5)), _data);
        var mailbox = (await host.Accounts.FindMailboxAsync("web", Ct))!;
        Assert.Equal((MailboxProtocol.Imap, OidcProvider.Name, TransportSecurity.StartTls), (mailbox.Protocol, mailbox.Settings.OAuthProvider, mailbox.Settings.Security));
        Assert.NotNull(await host.Accounts.GetOAuthTokensAsync(mailbox.Id, Ct));

        // A link is used once.
        using (var http = new HttpClient())
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri(start), Ct)).StatusCode);

        // The same name again, through a new link: onboarding's conflict, as a problem.
        var (_, second) = await LinkAsync(key, connection);
        var (again, problem) = await OidcProvider.AuthorizeInBrowserAsync(new Uri(second), Ct);
        Assert.True(again == HttpStatusCode.Conflict, problem);
        serve.Kill();
        await serve.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Token_logs_in_with_oauthbearer_and_xoauth2_and_a_wrong_token_is_refused_without_showing_it()
    {
        OidcProvider.Require();
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite, OidcProvider.Settings(TimeSpan.FromSeconds(5)), _data);
        var tokens = await DeviceFlowAsync(host);
        var connector = host.Services.GetRequiredService<ImapConnector>();

        var introspections = OidcProvider.Count(OidcProvider.Introspection);
        await using (var session = await connector.ConnectAsync(Settings(), MailboxCredential.OAuth2(tokens.AccessToken), Ct))
            Assert.Contains(await session.ListFoldersAsync(Ct), f => f.Path == "INBOX");
        Assert.Equal(introspections + 1, OidcProvider.Count(OidcProvider.Introspection));

        // The server announces both: OAUTHBEARER is chosen. Without it, XOAUTH2.
        using (var client = new ImapClient())
        {
            client.ServerCertificateValidationCallback = (_, certificate, _, _) => certificate is not null;
            await client.ConnectAsync(LiveServers.Host, LiveServers.ImapPort, SecureSocketOptions.StartTls, Ct);
            Assert.Equal(SaslLogin.OAuthBearer, SaslLogin.ChooseOAuthMechanism(client.AuthenticationMechanisms));
            client.AuthenticationMechanisms.Remove(SaslLogin.OAuthBearer);
            Assert.Equal(SaslLogin.XOAuth2, SaslLogin.ChooseOAuthMechanism(client.AuthenticationMechanisms));
            await SaslLogin.AuthenticateAsync(client, User, MailboxCredential.OAuth2(tokens.AccessToken), Ct);
            Assert.True(client.IsAuthenticated);
            Assert.NotNull(await client.GetFolderAsync("INBOX", Ct));
        }
        Assert.Equal(introspections + 2, OidcProvider.Count(OidcProvider.Introspection));

        const string wrong = "not-a-token-3f1c9a7e";
        var refused = await Assert.ThrowsAsync<ConnectorException>(
            () => connector.ConnectAsync(Settings(), MailboxCredential.OAuth2(wrong), Ct));
        Assert.Equal(ConnectorErrorKind.AuthenticationFailed, refused.Kind);
        Assert.DoesNotContain(wrong, refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Account_added_by_device_flow_syncs_and_refreshes_before_expiry_storing_the_rotated_refresh_token()
    {
        OidcProvider.Require();
        await Doveadm.ResetUserAsync(User);
        await Doveadm.SaveAsync(User, "INBOX", TestMessages.Numbered(1));
        // Access tokens live 30 s; refresh when less than 15 s are left.
        var refreshBefore = TimeSpan.FromSeconds(15);

        var add = await AddWithCliAsync(refreshBefore);
        Assert.True(add.ExitCode == 0, add.Stderr);
        Assert.Equal(OidcProvider.Name, JsonDocument.Parse(add.Stdout).RootElement.GetProperty("oauthProvider").GetString());

        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite, OidcProvider.Settings(refreshBefore), _data);
        var mailbox = (await host.Accounts.FindMailboxAsync($"{User}@{LiveServers.Host}", Ct))!;
        Assert.Equal(CredentialKind.OAuth2, mailbox.Settings.CredentialKind);
        var first = await ReadTokensAsync(host, mailbox.Id);
        Assert.True(first.ExpiresAt - DateTimeOffset.UtcNow > refreshBefore, "the device flow took too long for this test");

        // Fresh token: no refresh.
        var refreshes = OidcProvider.Count(OidcProvider.Token, "refresh_token");
        var successfulRefreshes = OidcProvider.Count(OidcProvider.Token, "refresh_token", 200);
        Assert.Equal(1, (await host.Runner.RunAsync(mailbox, null, Ct)).MessagesFetched);
        Assert.Equal(refreshes, OidcProvider.Count(OidcProvider.Token, "refresh_token"));

        // Within 15 s of expiry (still valid): the next connect refreshes first, and sync goes on.
        await Doveadm.SaveAsync(User, "INBOX", TestMessages.Numbered(2));
        var wait = first.ExpiresAt - refreshBefore - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait, Ct);
        Assert.True(first.ExpiresAt > DateTimeOffset.UtcNow, "the token expired before the refresh could be tested");
        Assert.Equal(1, (await host.Runner.RunAsync(mailbox, null, Ct)).MessagesFetched);
        Assert.Equal(refreshes + 1, OidcProvider.Count(OidcProvider.Token, "refresh_token"));
        Assert.Equal(successfulRefreshes + 1, OidcProvider.Count(OidcProvider.Token, "refresh_token", 200));
        var second = await ReadTokensAsync(host, mailbox.Id);
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken); // rotated, and stored
        Assert.True(second.ExpiresAt > first.ExpiresAt);

        // The rotated refresh token works (the old one is spent): force one more refresh through a rejected token.
        var (credential, refreshed) = await host.Services.GetRequiredService<MailboxCredentials>()
            .GetAccessTokenAsync(mailbox, second.AccessToken, Ct);
        Assert.True(refreshed);
        Assert.NotEqual(second.AccessToken, credential.Secret);
        Assert.Equal(MailboxState.Ok, (await host.Accounts.FindMailboxAsync(mailbox.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct))!.State);

        // No token in plaintext in the database or in the CLI's output.
        var third = await ReadTokensAsync(host, mailbox.Id);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var database = await File.ReadAllBytesAsync(Path.Combine(_data, "mailroom.db"), Ct);
        foreach (var token in new[] { first.AccessToken, first.RefreshToken, second.AccessToken, second.RefreshToken, third.AccessToken, third.RefreshToken })
        {
            Assert.False(database.AsSpan().IndexOf(Encoding.ASCII.GetBytes(token!)) >= 0, "a token is stored in plaintext");
            Assert.DoesNotContain(token!, add.Stdout + add.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Revoked_grant_ends_in_needs_reauth_without_retry_storm_and_the_web_flow_authorizes_it_again()
    {
        OidcProvider.Require();
        await Doveadm.ResetUserAsync(User);
        await Doveadm.SaveAsync(User, "INBOX", TestMessages.Numbered(1));
        var settings = OidcProvider.Settings(TimeSpan.FromSeconds(5));
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite, settings, _data);
        var tokens = await DeviceFlowAsync(host);
        var org = await host.Accounts.EnsureOrganizationAsync("default", Ct);
        var mailbox = await host.Accounts.AddOAuthMailboxAsync(org, "oauth", MailboxProtocol.Imap, Settings(),
            host.Services.GetRequiredService<MailboxCredentials>().Protect(tokens), Ct);

        // Fast reconnects: a worker that retried after needs_reauth would show up many times in the window below.
        var environment = OidcProvider.Environment(TimeSpan.FromSeconds(5));
        environment["MAILROOM__Worker__ReconnectInitial"] = "00:00:00.200";
        environment["MAILROOM__Worker__ReconnectCap"] = "00:00:01";
        using var serve = MailroomProcess.Start(
            ["--data", _data, "serve", "--urls", $"http://127.0.0.1:{OidcProvider.ServePort}"], environment: environment);
        await WaitForStateAsync(host, mailbox.Id, MailboxState.Ok, TimeSpan.FromSeconds(60), serve);

        var stored = await ReadTokensAsync(host, mailbox.Id);
        await OidcProvider.RevokeAsync(stored.RefreshToken!, Ct);
        var tokenCalls = OidcProvider.Count(OidcProvider.Token);
        var logins = OidcProvider.Count(OidcProvider.Introspection);
        var revoked = Stopwatch.StartNew();
        await Doveadm.KickAsync(User); // the worker's session ends; it must reconnect, and cannot
        await WaitForStateAsync(host, mailbox.Id, MailboxState.NeedsReauth, TimeSpan.FromSeconds(30), serve);
        var tokenCallsToReauth = OidcProvider.Count(OidcProvider.Token) - tokenCalls;
        var loginsToReauth = OidcProvider.Count(OidcProvider.Introspection) - logins;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"needs_reauth {revoked.ElapsedMilliseconds} ms after the revocation: {tokenCallsToReauth} token request(s), {loginsToReauth} login(s)");
        Assert.InRange(tokenCallsToReauth, 1, 2);
        Assert.InRange(loginsToReauth, 0, 2);

        // No retry storm: nothing more reaches the provider (or Dovecot's token check) for 8 s of 200 ms..1 s backoff.
        await Task.Delay(TimeSpan.FromSeconds(8), Ct);
        Assert.Equal(tokenCallsToReauth, OidcProvider.Count(OidcProvider.Token) - tokenCalls);
        Assert.Equal(loginsToReauth, OidcProvider.Count(OidcProvider.Introspection) - logins);
        var record = (await host.Accounts.FindMailboxAsync("oauth", Ct))!;
        Assert.Equal(MailboxState.NeedsReauth, record.State);
        Assert.Contains("invalid_grant", record.LastError, StringComparison.Ordinal);

        // Authorized again through the web (authorization code + PKCE): the worker starts again and syncs.
        await Doveadm.SaveAsync(User, "INBOX", TestMessages.Numbered(2));
        var (_, link) = await LinkAsync(await ApiKeyAsync(), new Dictionary<string, object> { ["mailbox"] = mailbox.Id });
        var (status, body) = await OidcProvider.AuthorizeInBrowserAsync(new Uri(link), Ct);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("reauthorized").GetBoolean(), body);
        await WaitForStateAsync(host, mailbox.Id, MailboxState.Ok, TimeSpan.FromSeconds(60), serve);
        var inbox = (await host.Messages.ListFoldersAsync(mailbox.Id, Ct)).Single(f => f.Path == "INBOX");
        await WaitAsync(async () => (await host.Messages.GetMembershipsAsync(inbox.Id, Ct)).Count == 2, TimeSpan.FromSeconds(30));

        // A forged or replayed state is refused.
        using var http = new HttpClient();
        using var forged = await http.GetAsync(new Uri($"http://127.0.0.1:{OidcProvider.ServePort}/oauth/callback?state=forged&code=x"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        serve.Kill();
        var all = await ReadTokensAsync(host, mailbox.Id);
        var (_, stdout, stderr) = await serve.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("needs to be authorized again", stdout + stderr, StringComparison.Ordinal);
        foreach (var token in new[] { tokens.AccessToken, tokens.RefreshToken, all.AccessToken, all.RefreshToken })
            Assert.DoesNotContain(token!, stdout + stderr, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> AddWithCliAsync(TimeSpan refreshBefore) =>
        OidcProvider.RunDeviceFlowAsync(
            ["--data", _data, "account", "add", "--oauth", OidcProvider.Name, "--user", User, "--imap", $"{LiveServers.Host}:{LiveServers.ImapPort}",
             "--security", "starttls", "--ca-file", LiveServers.CaFile!, "--json"],
            OidcProvider.Environment(refreshBefore), Ct);

    private static Task<OAuthTokens> DeviceFlowAsync(MailroomTestHost host) => OidcProvider.DeviceFlowAsync(host, Ct);

    /// <summary>An API key of the default organization, made with the CLI in this test's data folder.</summary>
    private async Task<string> ApiKeyAsync()
    {
        var (exit, stdout, stderr) = await MailroomProcess.RunAsync(["--data", _data, "apikey", "create", "--name", "oauth-links"]);
        Assert.True(exit == 0, stderr);
        var key = stdout.Trim();
        TestArtifacts.RecordSecrets("apikey", key);
        return key;
    }

    /// <summary>POST /v1/oauth/links on the running serve: the status and the one-time URL.</summary>
    private static async Task<(HttpStatusCode Status, string Url)> LinkAsync(string key, Dictionary<string, object> connection)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{OidcProvider.ServePort}/v1/oauth/links"),
            new StringContent(JsonSerializer.Serialize(connection), Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.GetProperty("url").GetString()! : text);
    }

    private static async Task<(string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt)> ReadTokensAsync(MailroomTestHost host, long mailboxId)
    {
        var stored = (await host.Accounts.GetOAuthTokensAsync(mailboxId, Ct))!;
        var secrets = host.Services.GetRequiredService<ISecretProtector>();
        var tokens = (secrets.Unprotect(SecretPurposes.OAuthAccessToken, stored.ProtectedAccessToken),
            stored.ProtectedRefreshToken is null ? null : secrets.Unprotect(SecretPurposes.OAuthRefreshToken, stored.ProtectedRefreshToken),
            stored.ExpiresAt);
        TestArtifacts.RecordSecrets("oauth", tokens.Item1, tokens.Item2);
        return tokens;
    }

    private static async Task WaitForStateAsync(MailroomTestHost host, long mailboxId, MailboxState state, TimeSpan timeout, MailroomProcess serve)
    {
        var id = mailboxId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        MailboxState? last = null;
        await WaitAsync(async () =>
        {
            Assert.False(serve.HasExited, "mailroom serve exited");
            last = (await host.Accounts.FindMailboxAsync(id, Ct))!.State;
            return last == state;
        }, timeout, () => $"mailbox state stayed '{last}', expected '{state}'");
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string>? what = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what?.Invoke() ?? "condition not met in time");
            await Task.Delay(200, Ct);
        }
    }

    public void Dispose() => TestArtifacts.DeleteFolder(_data);
}
