using System.Text.RegularExpressions;
using Mailroom.Connectors.Auth;
using Mailroom.Core.Accounts;
using Mailroom.Core.Sending;
using Mailroom.Core.Storage;
using Mailroom.IntegrationTests.Infrastructure;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.IntegrationTests.Auth;

/// <summary>
/// OAuth2 for sending: the OAuth test user mr12 submits through the test Postfix, whose SMTP AUTH is Dovecot's SASL,
/// where the oauth2 passdb checks the bearer token at the local OpenID provider. The recipient is mr19.
/// </summary>
[Collection(OidcUserCollection.Name)]
public sealed partial class OAuthSmtpTests
{
    private const string Recipient = "mr19";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string User => OidcProvider.User;
    private static string PostfixLog => Path.Combine(Environment.GetEnvironmentVariable("MAILROOM_TEST_WORK") ?? "/var/tmp/mailroom-test", "postfix", "postfix.log");

    [Fact]
    public async Task Oauth_mailbox_sends_through_postfix_with_oauthbearer_and_the_message_arrives_once()
    {
        OidcProvider.Require();
        await Doveadm.ResetUserAsync(Recipient);
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite, Settings());
        var tokens = await OidcProvider.DeviceFlowAsync(host, Ct);
        var mailbox = await AddOAuthSenderAsync(host, tokens);

        // What Postfix announces (Dovecot's mechanisms), and what Mailroom picks from it.
        using (var client = new SmtpClient())
        {
            client.ServerCertificateValidationCallback = (_, certificate, _, _) => certificate is not null;
            await client.ConnectAsync(LiveServers.Host, LiveServers.SmtpPort, SecureSocketOptions.StartTls, Ct);
            Assert.Contains(SaslLogin.OAuthBearer, client.AuthenticationMechanisms);
            Assert.Contains(SaslLogin.XOAuth2, client.AuthenticationMechanisms);
            Assert.Equal(SaslLogin.OAuthBearer, SaslLogin.ChooseOAuthMechanism(client.AuthenticationMechanisms));
            // Without OAUTHBEARER, the same login goes through XOAUTH2, and Postfix accepts it too.
            client.AuthenticationMechanisms.Remove(SaslLogin.OAuthBearer);
            await SaslLogin.AuthenticateAsync(client, User, MailboxCredential.OAuth2(tokens.AccessToken), Ct);
            Assert.True(client.IsAuthenticated);
            await client.DisconnectAsync(true, Ct);
        }

        var logStart = new FileInfo(PostfixLog).Length;
        var introspections = OidcProvider.Count(OidcProvider.Introspection);
        var (item, _) = await host.Services.GetRequiredService<IOutboxStore>().EnqueueAsync(mailbox.Id, "oauth-send", Compose(host, "OAuth send"), Ct);
        var pass = await host.Services.GetRequiredService<OutboxSender>().RunOnceAsync(mailbox.Id, Ct);

        var sent = (await host.Services.GetRequiredService<IOutboxStore>().GetAsync(item.Id, Ct))!;
        Assert.True(sent.State == OutboxState.Sent, $"{sent.State}: {sent.LastReply}");
        Assert.Equal(1, pass.Sent);
        Assert.Single(await MailboxProbe.WaitForAsync(Recipient, "INBOX", item.MessageId, TimeSpan.FromSeconds(30)));
        // Dovecot asked the provider about the token (SMTP AUTH, and the Sent copy's IMAP login).
        Assert.True(OidcProvider.Count(OidcProvider.Introspection) > introspections, "Dovecot never checked a token");
        // Postfix took this very message in a session authenticated as mr12 with OAUTHBEARER.
        Assert.Equal(("OAUTHBEARER", User), await SubmissionLoginAsync(logStart, item.MessageId));
    }

    [Fact]
    public async Task Revoked_grant_on_send_ends_in_needs_reauth_keeps_the_message_and_asks_nobody_until_authorized_again()
    {
        OidcProvider.Require();
        await Doveadm.ResetUserAsync(Recipient);
        // The sender looks at due rows every few hundred milliseconds: a retry storm would show at once.
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite, Settings(new()
        {
            ["Outbox:RetryInitial"] = "00:00:00.200",
            ["Outbox:RetryCap"] = "00:00:00.500",
        }));
        var tokens = await OidcProvider.DeviceFlowAsync(host, Ct);
        var mailbox = await AddOAuthSenderAsync(host, tokens);
        var outbox = host.Services.GetRequiredService<IOutboxStore>();
        var sender = host.Services.GetRequiredService<OutboxSender>();

        await OidcProvider.RevokeAsync(tokens.RefreshToken!, Ct);
        var tokenCalls = OidcProvider.Count(OidcProvider.Token);
        var logins = OidcProvider.Count(OidcProvider.Introspection);
        var (item, _) = await outbox.EnqueueAsync(mailbox.Id, "oauth-revoked", Compose(host, "After revocation"), Ct);
        var pass = await sender.RunOnceAsync(mailbox.Id, Ct);

        // One login refused (the access token died with its grant), one refresh refused (invalid_grant): needs_reauth.
        Assert.Equal((0, 1, 0), (pass.Sent, pass.Retrying, pass.Failed));
        var record = (await host.Accounts.FindMailboxAsync(mailbox.Name, Ct))!;
        Assert.Equal(MailboxState.NeedsReauth, record.State);
        Assert.Contains("invalid_grant", record.LastError, StringComparison.Ordinal);
        var held = (await outbox.GetAsync(item.Id, Ct))!;
        Assert.Equal((OutboxState.Retrying, 1), (held.State, held.Attempts));
        Assert.Contains("needs_reauth", held.LastReply, StringComparison.Ordinal);
        var tokenCallsToReauth = OidcProvider.Count(OidcProvider.Token) - tokenCalls;
        var loginsToReauth = OidcProvider.Count(OidcProvider.Introspection) - logins;
        Assert.Equal(1, tokenCallsToReauth);
        Assert.InRange(loginsToReauth, 1, 2);

        // For 5 s of passes the row comes due again and again; nobody is asked (no token request, no SMTP login).
        var passes = 0;
        for (var until = DateTime.UtcNow.AddSeconds(5); DateTime.UtcNow < until; passes++)
        {
            await Task.Delay(250, Ct);
            await sender.RunOnceAsync(mailbox.Id, Ct);
        }
        Assert.Equal(tokenCallsToReauth, OidcProvider.Count(OidcProvider.Token) - tokenCalls);
        Assert.Equal(loginsToReauth, OidcProvider.Count(OidcProvider.Introspection) - logins);
        held = (await outbox.GetAsync(item.Id, Ct))!;
        Assert.Equal((OutboxState.Retrying, 1), (held.State, held.Attempts));
        Assert.True(held.NextAttemptAt < DateTimeOffset.UtcNow.AddSeconds(2), $"after {passes} passes the row is not looked at again soon: {held.NextAttemptAt}");
        Assert.Empty(await MailboxProbe.FindAsync(Recipient, "INBOX", item.MessageId));

        // Authorized again (what /oauth/callback does): the kept message goes out at its next look, once.
        var again = await OidcProvider.DeviceFlowAsync(host, Ct);
        await host.Accounts.SaveOAuthTokensAsync(mailbox.Id, host.Services.GetRequiredService<MailboxCredentials>().Protect(again), Ct);
        await host.Accounts.SetMailboxStateAsync(mailbox.Id, MailboxState.New, null, DateTimeOffset.UtcNow, Ct);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await outbox.GetAsync(item.Id, Ct))!.State != OutboxState.Sent && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250, Ct);
            await sender.RunOnceAsync(mailbox.Id, Ct);
        }
        var sent = (await outbox.GetAsync(item.Id, Ct))!;
        Assert.True(sent.State == OutboxState.Sent, $"{sent.State}: {sent.LastReply}");
        Assert.Equal(2, sent.Attempts);
        Assert.Single(await MailboxProbe.WaitForAsync(Recipient, "INBOX", item.MessageId, TimeSpan.FromSeconds(30)));
    }

    private static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = OidcProvider.Settings(TimeSpan.FromSeconds(5));
        settings["Outbox:SentCopyWait"] = "00:00:00";
        foreach (var (key, value) in more ?? [])
            settings[key] = value;
        return settings;
    }

    private static async Task<MailboxRecord> AddOAuthSenderAsync(MailroomTestHost host, Mailroom.Connectors.Auth.OAuthTokens tokens)
    {
        var org = await host.Accounts.EnsureOrganizationAsync("default", Ct);
        var mailbox = await host.Accounts.AddOAuthMailboxAsync(org, "oauth-sender", MailboxProtocol.Imap, new MailboxSettings
        {
            Host = LiveServers.Host,
            Port = LiveServers.ImapPort,
            UserName = User,
            Security = TransportSecurity.StartTls,
            TrustedCaFile = LiveServers.CaFile,
            OAuthProvider = OidcProvider.Name,
        }, host.Services.GetRequiredService<MailboxCredentials>().Protect(tokens), Ct);
        await host.Accounts.SetSmtpAsync(mailbox.Id, new SmtpSettings
        {
            Host = LiveServers.Host, Port = LiveServers.SmtpPort, Security = TransportSecurity.StartTls, UserName = User,
        }, Ct);
        return mailbox;
    }

    private static ComposedMessage Compose(MailroomTestHost host, string subject) =>
        host.Services.GetRequiredService<MessageComposer>().Compose(new OutgoingMessage
        {
            From = new($"{User}@mailroom.test"), To = [new($"{Recipient}@mailroom.test")], Subject = subject, Text = "Sent with a bearer token.",
        });

    /// <summary>
    /// From Postfix's log (after <paramref name="offset"/>): the queue id that cleanup gave this Message-ID, and the SASL
    /// method and user that smtpd logged for that queue id.
    /// </summary>
    private static async Task<(string Method, string User)> SubmissionLoginAsync(long offset, string messageId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await using var stream = new FileStream(PostfixLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(offset, SeekOrigin.Begin);
            var text = await new StreamReader(stream).ReadToEndAsync(Ct);
            var queue = Regex.Match(text, @" ([0-9A-F]{6,}): message-id=<" + Regex.Escape(messageId) + ">");
            if (queue.Success)
            {
                var login = Regex.Match(text, " " + queue.Groups[1].Value + @": client=[^,]+, sasl_method=([A-Z0-9-]+), sasl_username=(\S+)");
                Assert.True(login.Success, $"Postfix logged no SASL login for queue id {queue.Groups[1].Value}");
                return (login.Groups[1].Value, login.Groups[2].Value);
            }
            Assert.True(DateTime.UtcNow < deadline, $"Postfix logged no message-id <{messageId}> in {PostfixLog}");
            await Task.Delay(200, Ct);
        }
    }
}
