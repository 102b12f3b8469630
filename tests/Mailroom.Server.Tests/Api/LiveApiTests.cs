using System.Net;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Mailroom.Server.Tests.Api;

/// <summary>
/// Against the test Dovecot (<c>scripts/test-env.sh up</c>): a mailbox created through the API is checked with a real
/// login, synced by the worker <c>serve</c> runs, and its messages are listed through the API.
/// </summary>
public sealed class LiveApiTests : IAsyncLifetime
{
    private const string User = "mr19";
    private readonly ApiTestApp _app = new();
    private string _key = "";

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    public async ValueTask InitializeAsync()
    {
        if (Env("MAILROOM_TEST_CA") is not { } ca)
            return;
        _app.Settings["Discovery:TrustedCaFile"] = ca;
        await _app.InitializeAsync();
        (_, _key) = await _app.NewOrganizationAsync("live");
    }

    public async ValueTask DisposeAsync()
    {
        if (Env("MAILROOM_TEST_CA") is not null)
            await _app.DisposeAsync();
    }

    [Fact]
    public async Task Mailbox_created_through_the_api_syncs_and_lists_its_messages()
    {
        var portText = Env("MAILROOM_TEST_IMAP_PORT");
        if (Env("MAILROOM_TEST_CA") is null || portText is null)
        {
            var message = "Dovecot not configured: eval \"$(scripts/test-env.sh env)\" after scripts/test-env.sh up.";
            if (Env("MAILROOM_REQUIRE_LIVE") == "1")
                Assert.Fail(message);
            Assert.Skip(message);
        }
        var ct = TestContext.Current.CancellationToken;
        var host = Env("MAILROOM_TEST_IMAP_HOST") ?? "127.0.0.1";
        var port = int.Parse(portText, System.Globalization.CultureInfo.InvariantCulture);
        var subject = "api-e2e " + Guid.NewGuid().ToString("N");
        using (var imap = new ImapClient())
        {
            await imap.ConnectAsync(host, port, SecureSocketOptions.None, ct);
            await imap.AuthenticateAsync(User, User + "pass", ct);
            var mail = new MimeMessage { Subject = subject };
            mail.From.Add(new MailboxAddress("Sender", "sender@example.com"));
            mail.To.Add(new MailboxAddress(User, User + "@mailroom.test"));
            mail.Body = new TextPart("plain") { Text = "Through the API." };
            await imap.Inbox.AppendAsync(new MailKit.AppendRequest(mail, MailKit.MessageFlags.None), ct);
            await imap.DisconnectAsync(true, ct);
        }

        var client = _app.Client(_key);
        var bad = await client.PostAsync("/v1/mailboxes", ApiAssert.Body(new
        {
            host, port, security = "starttls", userName = User, password = "wrong", name = "refused",
        }), ct);
        await ApiAssert.ProblemAsync(bad, HttpStatusCode.UnprocessableEntity);

        var created = await ApiAssert.JsonAsync(await client.PostAsync("/v1/mailboxes", ApiAssert.Body(new
        {
            host, port, security = "starttls", userName = User, password = User + "pass", name = "mr19 live",
        }), ct), HttpStatusCode.Created);
        var id = created.GetProperty("mailbox").GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/v1/mailboxes/{id}/sync", null, ct)).StatusCode);

        System.Text.Json.JsonElement found = default;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var page = await ApiAssert.JsonAsync(await client.GetAsync($"/v1/messages?mailbox={id}&limit=500", ct), HttpStatusCode.OK);
            found = page.GetProperty("items").EnumerateArray().FirstOrDefault(m => m.GetProperty("subject").GetString() == subject);
            if (found.ValueKind != System.Text.Json.JsonValueKind.Undefined)
                break;
            await Task.Delay(250, ct);
        }
        Assert.True(found.ValueKind != System.Text.Json.JsonValueKind.Undefined, "the appended message was not synced within 60 s");
        Assert.True(found.GetProperty("unread").GetBoolean());

        var raw = await client.GetStringAsync($"/v1/messages/{found.GetProperty("id").GetInt64()}/raw", ct);
        Assert.Contains("Through the API.", raw, StringComparison.Ordinal);
        var status = await ApiAssert.JsonAsync(await client.GetAsync($"/v1/mailboxes/{id}/status", ct), HttpStatusCode.OK);
        Assert.Contains(status.GetProperty("folders").EnumerateArray(), f => f.GetProperty("path").GetString() == "INBOX" && f.GetProperty("messages").GetInt64() >= 1);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/v1/mailboxes/{id}", ct)).StatusCode);
    }
}
