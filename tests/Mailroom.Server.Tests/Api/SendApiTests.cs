using System.Net;

namespace Mailroom.Server.Tests.Api;

public sealed class SendApiTests(SeededApi api) : IClassFixture<SeededApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Send_queues_once_per_idempotency_key()
    {
        var a = api.ClientA();
        var body = new
        {
            account = "a1", to = new[] { "Alice <alice@example.com>" }, subject = "Offer", text = "Attached.", replyToMessage = api.HtmlMessageA,
            attachments = new[] { new { fileName = "note.txt", contentBase64 = Convert.ToBase64String("hello"u8.ToArray()) } },
        };
        using var first = new HttpRequestMessage(HttpMethod.Post, "/v1/send") { Content = ApiAssert.Body(body) };
        first.Headers.Add("Idempotency-Key", "offer-1");
        var queued = await ApiAssert.JsonAsync(await a.SendAsync(first, Ct), HttpStatusCode.Accepted);
        Assert.Equal("offer-1", queued.GetProperty("idempotencyKey").GetString());
        Assert.Equal(["alice@example.com"], queued.GetProperty("recipients").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("Offer", queued.GetProperty("subject").GetString());
        var id = queued.GetProperty("id").GetInt64();

        // The same key again, in the body this time: the first item, not a second one.
        var again = await ApiAssert.JsonAsync(await a.PostAsync("/v1/send", ApiAssert.Body(new
        {
            account = api.A1.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), to = new[] { "other@example.com" }, subject = "Different",
            text = "x", idempotencyKey = "offer-1",
        }), Ct), HttpStatusCode.OK);
        Assert.Equal(id, again.GetProperty("id").GetInt64());

        var item = await ApiAssert.JsonAsync(await a.GetAsync($"/v1/outbox/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal("offer-1", item.GetProperty("idempotencyKey").GetString());
        Assert.Contains(item.GetProperty("state").GetString(), new[] { "queued", "sending", "retrying", "failed" });
        var list = await ApiAssert.JsonAsync(await a.GetAsync($"/v1/outbox?mailbox={api.A1.Id}", Ct), HttpStatusCode.OK);
        Assert.Equal(id, list.GetProperty("items")[0].GetProperty("id").GetInt64());
        await ApiAssert.ProblemAsync(await a.GetAsync("/v1/outbox/987654321", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Send_errors_are_problems()
    {
        var a = api.ClientA();
        async Task Expect(object body, HttpStatusCode status, string? header = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/send") { Content = ApiAssert.Body(body) };
            if (header is not null)
                request.Headers.Add("Idempotency-Key", header);
            await ApiAssert.ProblemAsync(await a.SendAsync(request, Ct), status);
        }

        await Expect(new { to = new[] { "x@example.com" }, subject = "s", text = "t" }, HttpStatusCode.BadRequest);
        await Expect(new { account = "a1", to = new[] { "not an address" }, subject = "s", text = "t" }, HttpStatusCode.BadRequest);
        await Expect(new { account = "a1", to = new[] { "x@example.com" }, subject = "line\r\nBcc: evil@example.com", text = "t" }, HttpStatusCode.BadRequest);
        await Expect(new { account = "a1", to = new[] { "x@example.com" }, subject = "s", text = "t", attachments = new[] { new { path = "/etc/passwd" } } },
            HttpStatusCode.BadRequest);
        await Expect(new { account = "a1", to = new[] { "x@example.com" }, subject = "s", text = "t", idempotencyKey = "a" }, HttpStatusCode.BadRequest, header: "b");
        await Expect(new { account = "a1", to = new[] { "x@example.com" }, subject = "s", text = "t", replyToMessage = api.MessageB }, HttpStatusCode.BadRequest);
        await Expect(new { account = "nope", to = new[] { "x@example.com" }, subject = "s", text = "t" }, HttpStatusCode.NotFound);

        var noSmtp = await api.App.NewMailboxAsync(api.OrgA, "no-smtp");
        await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Mailroom.Core.Storage.IAccountStore>(api.App.Services)
            .SetSmtpAsync(noSmtp.Id, null, Ct);
        await Expect(new { account = "no-smtp", to = new[] { "x@example.com" }, subject = "s", text = "t" }, HttpStatusCode.Conflict);
    }
}
