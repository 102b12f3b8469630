using System.Net;

namespace Mailroom.Server.Tests.Api;

public sealed class ContactsApiTests(SeededApi api) : IClassFixture<SeededApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_get_replace_patch_delete()
    {
        var a = api.ClientA();
        var created = await ApiAssert.JsonAsync(await a.PostAsync("/v1/contacts",
            ApiAssert.Body(new { externalId = "carol-0", name = "Carol", addresses = new[] { "CAROL0@Example.org" } }), Ct), HttpStatusCode.Created);
        Assert.True(created.GetProperty("created").GetBoolean());
        Assert.Equal(["carol0@example.org"], created.GetProperty("contact").GetProperty("addresses").EnumerateArray().Select(x => x.GetString()));
        Assert.True(created.GetProperty("linked").GetInt32() > 0); // carol0 wrote some of the plain messages

        await ApiAssert.ProblemAsync(await a.PostAsync("/v1/contacts",
            ApiAssert.Body(new { externalId = "carol-0", name = "Again", addresses = new[] { "c@example.org" } }), Ct), HttpStatusCode.Conflict);

        var got = await ApiAssert.JsonAsync(await a.GetAsync("/v1/contacts/carol-0", Ct), HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("linked").GetInt32(), got.GetProperty("messageCount").GetInt32());

        var replaced = await ApiAssert.JsonAsync(await a.PutAsync("/v1/contacts/carol-0",
            ApiAssert.Body(new { name = "Carol C", addresses = new[] { "carol1@example.org" } }), Ct), HttpStatusCode.OK);
        Assert.False(replaced.GetProperty("created").GetBoolean());
        Assert.Equal("Carol C", replaced.GetProperty("contact").GetProperty("name").GetString());
        Assert.True(replaced.GetProperty("unlinked").GetInt32() > 0);

        var patched = await ApiAssert.JsonAsync(await a.PatchAsync("/v1/contacts/carol-0",
            ApiAssert.Body(new { add = new[] { "carol2@example.org" }, remove = new[] { "carol1@example.org" } }), Ct), HttpStatusCode.OK);
        Assert.Equal(["carol2@example.org"], patched.GetProperty("contact").GetProperty("addresses").EnumerateArray().Select(x => x.GetString()));

        await ApiAssert.ProblemAsync(await a.PatchAsync("/v1/contacts/carol-0",
            ApiAssert.Body(new { remove = new[] { "carol2@example.org" } }), Ct), HttpStatusCode.BadRequest);
        await ApiAssert.ProblemAsync(await a.PatchAsync("/v1/contacts/carol-0",
            ApiAssert.Body(new { add = new[] { "not an address" } }), Ct), HttpStatusCode.BadRequest);
        await ApiAssert.ProblemAsync(await a.PatchAsync("/v1/contacts/nobody", ApiAssert.Body(new { name = "X" }), Ct), HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NoContent, (await a.DeleteAsync("/v1/contacts/carol-0", Ct)).StatusCode);
        await ApiAssert.ProblemAsync(await a.GetAsync("/v1/contacts/carol-0", Ct), HttpStatusCode.NotFound);
        await ApiAssert.ProblemAsync(await a.DeleteAsync("/v1/contacts/carol-0", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_list_keeps_the_contacts_whose_id_name_or_address_contains_q_in_the_callers_organization()
    {
        var a = api.ClientA();
        var tag = Guid.NewGuid().ToString("N")[..8];
        foreach (var (id, name, address) in new[] { ($"q-{tag}-1", "Quincy Query", $"quincy-{tag}@example.org"), ($"q-{tag}-2", "Other", $"other-{tag}@example.org") })
            await ApiAssert.JsonAsync(await a.PostAsync("/v1/contacts", ApiAssert.Body(new { externalId = id, name, addresses = new[] { address } }), Ct),
                HttpStatusCode.Created);

        static string[] Ids(System.Text.Json.JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("externalId").GetString()!)];
        Assert.Equal([$"q-{tag}-1", $"q-{tag}-2"], Ids(await ApiAssert.JsonAsync(await a.GetAsync($"/v1/contacts?q={tag}", Ct), HttpStatusCode.OK)));
        Assert.Equal([$"q-{tag}-1"], Ids(await ApiAssert.JsonAsync(await a.GetAsync($"/v1/contacts?q=QUINCY-{tag}", Ct), HttpStatusCode.OK)));
        var first = await ApiAssert.JsonAsync(await a.GetAsync($"/v1/contacts?q={tag}&limit=1", Ct), HttpStatusCode.OK);
        var cursor = first.GetProperty("nextCursor").GetString();
        Assert.Equal([$"q-{tag}-2"], Ids(await ApiAssert.JsonAsync(await a.GetAsync($"/v1/contacts?q={tag}&limit=1&cursor={Uri.EscapeDataString(cursor!)}", Ct), HttpStatusCode.OK)));
        Assert.Empty(Ids(await ApiAssert.JsonAsync(await api.ClientB().GetAsync($"/v1/contacts?q={tag}", Ct), HttpStatusCode.OK)));
        await ApiAssert.ProblemAsync(await a.GetAsync("/v1/contacts?q=" + new string('x', 201), Ct), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("{\"externalId\":\"\",\"name\":\"X\",\"addresses\":[\"x@example.com\"]}")]
    [InlineData("{\"externalId\":\"x\",\"name\":\"X\",\"addresses\":[]}")]
    [InlineData("{\"externalId\":\"x\",\"name\":\"X\",\"addresses\":[\"nope\"]}")]
    [InlineData("{\"externalId\":\"x\",\"name\":\"\",\"addresses\":[\"x@example.com\"]}")]
    [InlineData("{\"externalId\":\"x\",")]
    [InlineData("[1,2]")]
    public async Task Invalid_contacts_are_400_problems(string json) =>
        await ApiAssert.ProblemAsync(await api.ClientA().PostAsync("/v1/contacts", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct),
            HttpStatusCode.BadRequest);

    [Fact]
    public async Task Bulk_upsert_validates_everything_first()
    {
        var a = api.ClientA();
        await ApiAssert.ProblemAsync(await a.PostAsync("/v1/contacts/bulk", ApiAssert.Body(new
        {
            contacts = new object[]
            {
                new { externalId = "bulk-1", name = "One", addresses = new[] { "one@example.com" } },
                new { externalId = "bulk-2", name = "Two", addresses = new[] { "bad" } },
            },
        }), Ct), HttpStatusCode.BadRequest);
        await ApiAssert.ProblemAsync(await a.GetAsync("/v1/contacts/bulk-1", Ct), HttpStatusCode.NotFound);
        await ApiAssert.ProblemAsync(await a.PostAsync("/v1/contacts/bulk", ApiAssert.Body(new { contacts = Array.Empty<object>() }), Ct), HttpStatusCode.BadRequest);

        var result = await ApiAssert.JsonAsync(await a.PostAsync("/v1/contacts/bulk", ApiAssert.Body(new
        {
            contacts = new object[]
            {
                new { externalId = "bulk-1", name = "One", addresses = new[] { "one@example.com" } },
                new { externalId = "alice", name = "Alice A.", addresses = new[] { "alice@example.com", "alice@work.example" } },
            },
        }), Ct), HttpStatusCode.OK);
        var rows = result.GetProperty("results").EnumerateArray().ToList();
        Assert.True(rows[0].GetProperty("created").GetBoolean());
        Assert.False(rows[1].GetProperty("created").GetBoolean());
        Assert.Equal("Alice A.", rows[1].GetProperty("contact").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Timeline_and_candidates()
    {
        var a = api.ClientA();
        var timeline = await ApiAssert.JsonAsync(await a.GetAsync("/v1/contacts/alice/timeline", Ct), HttpStatusCode.OK);
        var entries = timeline.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["Re: Proposal", "Proposal"], entries.Select(e => e.GetProperty("subject").GetString()));
        Assert.Equal(["to"], entries[0].GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["from"], entries[1].GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(api.A1.Id, entries[0].GetProperty("copies")[0].GetProperty("mailboxId").GetInt64());

        var first = await ApiAssert.JsonAsync(await a.GetAsync("/v1/contacts/alice/timeline?limit=1", Ct), HttpStatusCode.OK);
        var second = await ApiAssert.JsonAsync(await a.GetAsync($"/v1/contacts/alice/timeline?limit=1&cursor={first.GetProperty("nextCursor").GetString()}", Ct), HttpStatusCode.OK);
        Assert.Equal("Proposal", second.GetProperty("items")[0].GetProperty("subject").GetString());
        Assert.Null(second.GetProperty("nextCursor").GetString());
        await ApiAssert.ProblemAsync(await a.GetAsync("/v1/contacts/nobody/timeline", Ct), HttpStatusCode.NotFound);
        await ApiAssert.ProblemAsync(await a.GetAsync("/v1/contacts/alice/timeline?cursor=abc", Ct), HttpStatusCode.BadRequest);

        var candidates = await ApiAssert.JsonAsync(await a.GetAsync("/v1/contacts/candidates?limit=3", Ct), HttpStatusCode.OK);
        var list = candidates.EnumerateArray().ToList();
        Assert.Equal(3, list.Count);
        Assert.StartsWith("carol", list[0].GetProperty("address").GetString(), StringComparison.Ordinal);
        Assert.Equal(6, list[0].GetProperty("messages").GetInt32()); // 29 plain messages over carol0..carol4
        Assert.DoesNotContain(list, c => c.GetProperty("address").GetString() == "alice@example.com");
        await ApiAssert.ProblemAsync(await a.GetAsync("/v1/contacts/candidates?limit=0", Ct), HttpStatusCode.BadRequest);
    }
}
