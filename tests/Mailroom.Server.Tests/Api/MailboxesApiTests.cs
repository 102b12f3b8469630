using System.Net;
using Mailroom.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Server.Tests.Api;

public sealed class MailboxesApiTests(SeededApi api) : IClassFixture<SeededApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Get_status_and_folders()
    {
        var a = api.ClientA();
        var mailbox = await ApiAssert.JsonAsync(await a.GetAsync($"/v1/mailboxes/{api.A1.Id}", Ct), HttpStatusCode.OK);
        Assert.Equal("a1", mailbox.GetProperty("name").GetString());
        Assert.Equal("imap", mailbox.GetProperty("protocol").GetString());
        Assert.Equal("tls", mailbox.GetProperty("security").GetString());
        Assert.False(mailbox.TryGetProperty("password", out _));
        Assert.False(mailbox.TryGetProperty("protectedSecret", out _));

        var status = await ApiAssert.JsonAsync(await a.GetAsync($"/v1/mailboxes/{api.A1.Id}/status", Ct), HttpStatusCode.OK);
        Assert.Equal(SeededApi.InboxMessages, status.GetProperty("messages").GetInt64());
        var folders = status.GetProperty("folders").EnumerateArray().ToList();
        Assert.Equal(["INBOX", "Sent"], folders.Select(f => f.GetProperty("path").GetString()));
        Assert.Equal(["inbox", "sent"], folders.Select(f => f.GetProperty("role").GetString()));
        Assert.Equal(SeededApi.InboxMessages, folders[0].GetProperty("messages").GetInt64());

        var list = await ApiAssert.JsonAsync(await a.GetAsync($"/v1/mailboxes/{api.A1.Id}/folders", Ct), HttpStatusCode.OK);
        Assert.Equal(api.SentA, list[1].GetProperty("id").GetInt64());
        await ApiAssert.ProblemAsync(await a.GetAsync("/v1/mailboxes/987654321/status", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_with_explicit_settings_and_its_errors()
    {
        var a = api.ClientA();
        var created = await ApiAssert.JsonAsync(await a.PostAsync("/v1/mailboxes", ApiAssert.Body(new
        {
            host = "127.0.0.1", port = 1, security = "starttls", userName = "new@example.test", password = "secret-pw", name = "created",
            verify = false, smtp = new { host = "127.0.0.1", port = 2 },
        }), Ct), HttpStatusCode.Created);
        var mailbox = created.GetProperty("mailbox");
        Assert.Equal("explicit", created.GetProperty("settingsFrom").GetString());
        Assert.Equal("starttls", mailbox.GetProperty("security").GetString());
        Assert.Equal(2, mailbox.GetProperty("smtp").GetProperty("port").GetInt32());
        Assert.DoesNotContain("secret-pw", created.ToString(), StringComparison.Ordinal);
        var id = mailbox.GetProperty("id").GetInt64();
        Assert.NotEqual("secret-pw", await api.App.Services.GetRequiredService<IAccountStore>().GetProtectedSecretAsync(id, Ct));

        await ApiAssert.ProblemAsync(await a.PostAsync("/v1/mailboxes", ApiAssert.Body(new
        {
            host = "127.0.0.1", port = 1, userName = "new@example.test", password = "pw", name = "created", verify = false,
        }), Ct), HttpStatusCode.Conflict);

        // Stop the worker the new mailbox got, then remove it.
        await ApiAssert.JsonAsync(await a.PostAsync($"/v1/mailboxes/{id}/pause", null, Ct), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await a.DeleteAsync($"/v1/mailboxes/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_mailbox_knows_its_address_apart_from_its_login_and_it_can_be_changed()
    {
        var a = api.ClientA();
        var byLogin = (await ApiAssert.JsonAsync(await a.PostAsync("/v1/mailboxes", ApiAssert.Body(new
        {
            host = "127.0.0.1", port = 1, userName = "Login@Example.test", password = "pw", name = "address-by-login", verify = false,
        }), Ct), HttpStatusCode.Created)).GetProperty("mailbox");
        Assert.Equal("login@example.test", byLogin.GetProperty("address").GetString());

        var given = (await ApiAssert.JsonAsync(await a.PostAsync("/v1/mailboxes", ApiAssert.Body(new
        {
            host = "127.0.0.1", port = 1, userName = "bench9", address = "Bench9@Example.test", password = "pw", name = "address-given", verify = false,
        }), Ct), HttpStatusCode.Created)).GetProperty("mailbox");
        Assert.Equal("bench9", given.GetProperty("userName").GetString());
        Assert.Equal("bench9@example.test", given.GetProperty("address").GetString());
        var id = given.GetProperty("id").GetInt64();

        var changed = await ApiAssert.JsonAsync(await a.PutAsync($"/v1/mailboxes/{id}/address", ApiAssert.Body(new { address = "desk@example.test" }), Ct), HttpStatusCode.OK);
        Assert.Equal("desk@example.test", changed.GetProperty("address").GetString());
        await ApiAssert.ProblemAsync(await a.PutAsync($"/v1/mailboxes/{id}/address", ApiAssert.Body(new { address = "desk" }), Ct), HttpStatusCode.BadRequest);
        await ApiAssert.ProblemAsync(await api.ClientB().PutAsync($"/v1/mailboxes/{id}/address", ApiAssert.Body(new { address = "x@example.test" }), Ct), HttpStatusCode.NotFound);
        var forgotten = await ApiAssert.JsonAsync(await a.DeleteAsync($"/v1/mailboxes/{id}/address", Ct), HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, forgotten.GetProperty("address").ValueKind);

        foreach (var m in new[] { byLogin, given })
        {
            await ApiAssert.JsonAsync(await a.PostAsync($"/v1/mailboxes/{m.GetProperty("id").GetInt64()}/pause", null, Ct), HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.NoContent, (await a.DeleteAsync($"/v1/mailboxes/{m.GetProperty("id").GetInt64()}", Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task An_invalid_request_names_the_field_at_fault()
    {
        var problem = await ApiAssert.ProblemAsync(await api.ClientA().PostAsync("/v1/mailboxes", ApiAssert.Body(new
        {
            host = "127.0.0.1", userName = "u", password = "p", security = "none", verify = false,
        }), Ct), HttpStatusCode.BadRequest);
        Assert.Contains("allowPlaintext", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"host\":\"127.0.0.1\",\"userName\":\"u\",\"verify\":false}")]
    [InlineData("{\"host\":\"127.0.0.1\",\"userName\":\"u\",\"password\":\"p\",\"security\":\"ssl3\",\"verify\":false}")]
    [InlineData("{\"host\":\"127.0.0.1\",\"userName\":\"u\",\"password\":\"p\",\"security\":\"none\",\"verify\":false}")]
    [InlineData("{\"host\":\"127.0.0.1\",\"userName\":\"u\",\"password\":\"p\",\"port\":70000,\"verify\":false}")]
    [InlineData("{\"host\":\"127.0.0.1\",\"userName\":\"u\",\"password\":\"p\",\"protocol\":\"jmap\",\"verify\":false}")]
    [InlineData("{\"host\":\"127.0.0.1\",\"userName\":\"u\",\"password\":\"p\",\"protocol\":\"pop3\",\"scope\":\"contacts\",\"verify\":false}")]
    [InlineData("{\"host\":\"127.0.0.1\",\"password\":\"p\",\"verify\":false}")]
    [InlineData("{\"password\":\"p\"}")]
    [InlineData("{\"address\":\"not-an-address\",\"password\":\"p\"}")]
    [InlineData("{\"host\":\"127.0.0.1:993\",\"userName\":\"u\",\"password\":\"p\",\"verify\":false}")]
    [InlineData("not json")]
    public async Task Bad_mailbox_requests_are_400_problems(string json) =>
        await ApiAssert.ProblemAsync(await api.ClientA().PostAsync("/v1/mailboxes", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct),
            HttpStatusCode.BadRequest);

    [Fact]
    public async Task Login_refused_is_not_saved()
    {
        // Nothing listens on port 1: the check fails and nothing is stored.
        var response = await api.ClientA().PostAsync("/v1/mailboxes", ApiAssert.Body(new
        {
            host = "127.0.0.1", port = 1, security = "tls", userName = "u@example.test", password = "p", name = "unreachable",
        }), Ct);
        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadGateway);
        var list = await ApiAssert.JsonAsync(await api.ClientA().GetAsync("/v1/mailboxes", Ct), HttpStatusCode.OK);
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), m => m.GetProperty("name").GetString() == "unreachable");
    }

    [Fact]
    public async Task Pause_resume_sync_and_delete()
    {
        var a = api.ClientA();
        var mailbox = await api.App.NewMailboxAsync(api.OrgA, "lifecycle");
        await api.App.StoreAsync((await api.App.FolderAsync(mailbox.Id, "INBOX", Mailroom.Core.Sync.FolderRole.Inbox)).Id,
            (1, Mailroom.Core.Connectors.MessageFlags.None, "From: x@example.com\r\nSubject: gone soon\r\nMessage-ID: <gone@x>\r\n\r\nbye\r\n"));

        await ApiAssert.ProblemAsync(await a.PostAsync($"/v1/mailboxes/{mailbox.Id}/sync", null, Ct), HttpStatusCode.Conflict);
        var resumed = await ApiAssert.JsonAsync(await a.PostAsync($"/v1/mailboxes/{mailbox.Id}/resume", null, Ct), HttpStatusCode.OK);
        Assert.False(resumed.GetProperty("paused").GetBoolean());
        Assert.Equal(HttpStatusCode.Accepted, (await a.PostAsync($"/v1/mailboxes/{mailbox.Id}/sync", null, Ct)).StatusCode);

        // The worker tries 127.0.0.1:1 and records the failure on the mailbox.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string? state;
        do
        {
            await Task.Delay(200, Ct);
            state = (await ApiAssert.JsonAsync(await a.GetAsync($"/v1/mailboxes/{mailbox.Id}", Ct), HttpStatusCode.OK)).GetProperty("state").GetString();
        }
        while (state == "new" && DateTime.UtcNow < deadline);
        Assert.Equal("error", state);

        var paused = await ApiAssert.JsonAsync(await a.PostAsync($"/v1/mailboxes/{mailbox.Id}/pause", null, Ct), HttpStatusCode.OK);
        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await a.DeleteAsync($"/v1/mailboxes/{mailbox.Id}", Ct)).StatusCode);
        await ApiAssert.ProblemAsync(await a.GetAsync($"/v1/mailboxes/{mailbox.Id}", Ct), HttpStatusCode.NotFound);
        var messages = await ApiAssert.JsonAsync(await a.GetAsync("/v1/messages?limit=500", Ct), HttpStatusCode.OK);
        Assert.DoesNotContain(messages.GetProperty("items").EnumerateArray(), m => m.GetProperty("subject").GetString() == "gone soon");
    }
}
