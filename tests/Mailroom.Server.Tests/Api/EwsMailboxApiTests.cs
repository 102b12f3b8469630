using System.Net;
using Mailroom.TestSupport.Ews;

namespace Mailroom.Server.Tests.Api;

/// <summary>
/// <c>POST /v1/mailboxes</c> with <c>"protocol": "ews"</c> against the fake EWS (the operator's Discovery:TrustedCaFile
/// trusts its certificate): the login is checked before anything is stored, and the refusals say which field is wrong.
/// </summary>
public sealed class EwsMailboxApiTests
{
    private const string User = "mr17@mailroom.test";
    private const string Password = "ews-api-password";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ews_mailbox_is_created_after_its_login_is_checked_and_refusals_are_problems()
    {
        await using var server = await FakeEwsServer.StartAsync(new FakeEwsMailbox(), User, Password, Ct);
        server.Ntlm = true;
        await using var app = new ApiTestApp();
        app.Settings["Discovery:TrustedCaFile"] = FakeEwsServer.TestCa;
        await app.InitializeAsync();
        var (_, key) = await app.NewOrganizationAsync("ews");
        var client = app.Client(key);

        var refused = await client.PostAsync("/v1/mailboxes", ApiAssert.Body(new
        {
            protocol = "ews", address = User, url = server.Url.ToString(), password = "not-the-password",
        }), Ct);
        // A wrong password is 422 "Login failed", as for IMAP; nothing is stored.
        Assert.Contains("401", (await ApiAssert.ProblemAsync(refused, HttpStatusCode.UnprocessableEntity)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var created = await ApiAssert.JsonAsync(await client.PostAsync("/v1/mailboxes", ApiAssert.Body(new
        {
            protocol = "ews", address = User, url = server.Url.ToString(), authentication = "ntlm", password = Password,
        }), Ct), HttpStatusCode.Created);
        var mailbox = created.GetProperty("mailbox");
        Assert.Equal("ews", mailbox.GetProperty("protocol").GetString());
        Assert.Equal(server.Url.ToString(), mailbox.GetProperty("url").GetString());
        Assert.Equal("ntlm", mailbox.GetProperty("authentication").GetString());
        Assert.Equal(User, mailbox.GetProperty("name").GetString());
        Assert.True(server.NtlmLogins >= 1);
        Assert.DoesNotContain(Password, created.ToString(), StringComparison.Ordinal);
        var list = await ApiAssert.JsonAsync(await client.GetAsync("/v1/mailboxes", Ct), HttpStatusCode.OK);
        Assert.Single(list.GetProperty("items").EnumerateArray());

        foreach (var bad in new object[]
        {
            new { protocol = "ews", address = User, url = "http://127.0.0.1/EWS/Exchange.asmx", password = Password, name = "plain" },
            new { protocol = "ews", address = User, url = server.Url.ToString(), password = Password, name = "smtp", smtp = new { host = "127.0.0.1" } },
            new { protocol = "ews", address = User, url = server.Url.ToString(), authentication = "kerberos", password = Password, name = "kerberos" },
            new { protocol = "imap", address = User, url = server.Url.ToString(), password = Password, name = "imap-with-url" },
        })
            await ApiAssert.ProblemAsync(await client.PostAsync("/v1/mailboxes", ApiAssert.Body(bad), Ct), HttpStatusCode.BadRequest);
        Assert.Empty(server.Problems);
    }
}
