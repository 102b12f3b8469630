using System.Net;

namespace Mailroom.Server.Tests.Api;

/// <summary>Every endpoint that takes an id, called by organization A with organization B's ids, answers 404 and changes nothing.</summary>
public sealed class IsolationTests(SeededApi api) : IClassFixture<SeededApi>
{
    private IEnumerable<(HttpMethod Method, string Url, object? Body)> Requests()
    {
        var mb = api.B1.Id;
        var m = api.MessageB;
        yield return (HttpMethod.Get, $"/v1/mailboxes/{mb}", null);
        yield return (HttpMethod.Get, $"/v1/mailboxes/{mb}/status", null);
        yield return (HttpMethod.Get, $"/v1/mailboxes/{mb}/folders", null);
        yield return (HttpMethod.Post, $"/v1/mailboxes/{mb}/sync", null);
        yield return (HttpMethod.Post, $"/v1/mailboxes/{mb}/pause", null);
        yield return (HttpMethod.Post, $"/v1/mailboxes/{mb}/resume", null);
        yield return (HttpMethod.Delete, $"/v1/mailboxes/{mb}", null);
        yield return (HttpMethod.Get, $"/v1/messages?mailbox={mb}", null);
        yield return (HttpMethod.Get, $"/v1/messages?folder={api.InboxB}", null);
        yield return (HttpMethod.Get, $"/v1/messages?thread={api.ThreadB}", null);
        yield return (HttpMethod.Get, "/v1/messages?contact=bob", null);
        yield return (HttpMethod.Get, $"/v1/messages/{m}", null);
        yield return (HttpMethod.Get, $"/v1/messages/{m}/raw", null);
        yield return (HttpMethod.Get, $"/v1/messages/{m}/view", null);
        yield return (HttpMethod.Get, $"/v1/messages/{m}/attachments/0", null);
        yield return (HttpMethod.Get, $"/v1/messages/{m}/html", null);
        yield return (HttpMethod.Get, $"/v1/messages/{m}/inline/1", null);
        yield return (HttpMethod.Get, $"/v1/threads?mailbox={mb}", null);
        yield return (HttpMethod.Get, $"/v1/threads/{api.ThreadB}", null);
        yield return (HttpMethod.Get, "/v1/contacts/bob", null);
        yield return (HttpMethod.Patch, "/v1/contacts/bob", new { name = "Taken over" });
        yield return (HttpMethod.Delete, "/v1/contacts/bob", null);
        yield return (HttpMethod.Get, "/v1/contacts/bob/timeline", null);
        yield return (HttpMethod.Get, $"/v1/outbox?mailbox={mb}", null);
        yield return (HttpMethod.Get, $"/v1/outbox/{api.OutboxB}", null);
        yield return (HttpMethod.Post, "/v1/send", new { account = mb.ToString(System.Globalization.CultureInfo.InvariantCulture), to = new[] { "x@example.com" }, subject = "s", text = "t" });
        yield return (HttpMethod.Post, "/v1/send", new { account = "b1", to = new[] { "x@example.com" }, subject = "s", text = "t" });
    }

    [Fact]
    public async Task Another_organizations_ids_answer_404()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = api.ClientA();
        foreach (var (method, url, body) in Requests())
        {
            using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : ApiAssert.Body(body) };
            await ApiAssert.ProblemAsync(await client.SendAsync(request, ct), HttpStatusCode.NotFound);
        }

        // B's data is untouched, and B itself still sees it.
        var b = api.ClientB();
        var mailbox = await ApiAssert.JsonAsync(await b.GetAsync($"/v1/mailboxes/{api.B1.Id}", ct), HttpStatusCode.OK);
        Assert.True(mailbox.GetProperty("paused").GetBoolean());
        var bob = await ApiAssert.JsonAsync(await b.GetAsync("/v1/contacts/bob", ct), HttpStatusCode.OK);
        Assert.Equal("Bob", bob.GetProperty("name").GetString());
        await ApiAssert.JsonAsync(await b.GetAsync($"/v1/messages/{api.MessageB}", ct), HttpStatusCode.OK);
        var outbox = await ApiAssert.JsonAsync(await b.GetAsync("/v1/outbox", ct), HttpStatusCode.OK);
        Assert.Single(outbox.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Lists_without_filters_hold_only_the_callers_data()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = api.ClientA();
        var mailboxes = await ApiAssert.JsonAsync(await client.GetAsync("/v1/mailboxes", ct), HttpStatusCode.OK);
        Assert.DoesNotContain(mailboxes.GetProperty("items").EnumerateArray(), m => m.GetProperty("id").GetInt64() == api.B1.Id);
        var messages = await ApiAssert.JsonAsync(await client.GetAsync("/v1/messages?limit=500", ct), HttpStatusCode.OK);
        Assert.Equal(SeededApi.InboxMessages, messages.GetProperty("items").GetArrayLength());
        Assert.All(messages.GetProperty("items").EnumerateArray(), m => Assert.Equal(api.A1.Id, m.GetProperty("mailboxId").GetInt64()));
        var threads = await ApiAssert.JsonAsync(await client.GetAsync("/v1/threads?limit=500", ct), HttpStatusCode.OK);
        Assert.All(threads.GetProperty("items").EnumerateArray(), t => Assert.Equal(api.A1.Id, t.GetProperty("mailboxId").GetInt64()));
        var contacts = await ApiAssert.JsonAsync(await client.GetAsync("/v1/contacts", ct), HttpStatusCode.OK);
        Assert.DoesNotContain(contacts.GetProperty("items").EnumerateArray(), c => c.GetProperty("externalId").GetString() == "bob");
        var outbox = await ApiAssert.JsonAsync(await client.GetAsync("/v1/outbox", ct), HttpStatusCode.OK);
        Assert.DoesNotContain(outbox.GetProperty("items").EnumerateArray(), o => o.GetProperty("id").GetInt64() == api.OutboxB);
        var candidates = await ApiAssert.JsonAsync(await client.GetAsync("/v1/contacts/candidates", ct), HttpStatusCode.OK);
        Assert.DoesNotContain(candidates.EnumerateArray(), c => c.GetProperty("address").GetString() == "bob@example.com");
    }
}
