using System.Net;
using System.Text.Json;

namespace Mailroom.Server.Tests.Api;

/// <summary>GET /v1/search over the seeded organizations (messages parsed from MIME and stored through ingest).</summary>
public sealed class SearchApiTests(SeededApi api) : IClassFixture<SeededApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<JsonElement> Items(JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];

    private static string Q(string query) => "/v1/search?q=" + Uri.EscapeDataString(query);

    private static async Task<List<long>> IdsAsync(HttpClient client, string query) =>
        [.. Items(await ApiAssert.JsonAsync(await client.GetAsync(Q(query), Ct), HttpStatusCode.OK)).Select(i => i.GetProperty("id").GetInt64())];

    [Fact]
    public async Task Words_in_subject_html_body_and_attachment_names_are_found_with_marks()
    {
        var page = await ApiAssert.JsonAsync(await api.ClientA().GetAsync(Q("proposal"), Ct), HttpStatusCode.OK);
        var items = Items(page);
        Assert.Equal([api.ReplyMessageA, api.HtmlMessageA], items.Select(i => i.GetProperty("id").GetInt64()));
        Assert.Equal("Re: <mark>Proposal</mark>", items[0].GetProperty("subjectHtml").GetString());
        Assert.Equal("<mark>Proposal</mark>", items[1].GetProperty("subjectHtml").GetString());
        Assert.True(items[1].GetProperty("hasAttachments").GetBoolean());
        Assert.Null(page.GetProperty("nextCursor").GetString());

        Assert.Equal([api.HtmlMessageA], await IdsAsync(api.ClientA(), "\"hello there\""));
        Assert.Equal([api.HtmlMessageA], await IdsAsync(api.ClientA(), "offer.pdf"));
        Assert.Equal([api.HtmlMessageA], await IdsAsync(api.ClientA(), "has:attachment"));
        Assert.Equal([api.ReplyMessageA], await IdsAsync(api.ClientA(), "proposal in:sent"));
        Assert.Equal([api.ReplyMessageA], await IdsAsync(api.ClientA(), "to:alice@example.com"));
        Assert.Equal([api.HtmlMessageA, api.ReplyMessageA], (await IdsAsync(api.ClientA(), "contact:alice proposal")).Order());
        // The script in the HTML is not text, and the snippet is escaped text with marks only.
        Assert.Empty(await IdsAsync(api.ClientA(), "alert"));
        var hello = Items(await ApiAssert.JsonAsync(await api.ClientA().GetAsync(Q("hello"), Ct), HttpStatusCode.OK)).Single();
        Assert.Equal("<mark>Hello</mark> there", hello.GetProperty("snippetHtml").GetString());
    }

    [Fact]
    public async Task Each_organization_finds_only_its_own_mail()
    {
        Assert.Empty(await IdsAsync(api.ClientA(), "secret"));
        Assert.Equal([api.MessageB], await IdsAsync(api.ClientB(), "secret"));
        Assert.Empty(await IdsAsync(api.ClientB(), "proposal"));
        await ApiAssert.ProblemAsync(await api.ClientB().GetAsync(Q($"mailbox:{api.A1.Id} proposal"), Ct), HttpStatusCode.BadRequest);
        await ApiAssert.ProblemAsync(await api.ClientA().GetAsync(Q("contact:bob"), Ct), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.App.Client(null).GetAsync(Q("proposal"), Ct)).StatusCode);
    }

    [Fact]
    public async Task Pages_are_newest_first_and_a_cursor_belongs_to_its_query()
    {
        var seen = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var url = Q("body") + "&limit=10" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await ApiAssert.JsonAsync(await api.ClientA().GetAsync(url, Ct), HttpStatusCode.OK);
            seen.AddRange(Items(page));
            cursor = page.GetProperty("nextCursor").GetString();
            if (cursor is not null && seen.Count == 10)
            {
                var other = await ApiAssert.ProblemAsync(
                    await api.ClientA().GetAsync(Q("proposal") + "&cursor=" + Uri.EscapeDataString(cursor), Ct), HttpStatusCode.BadRequest);
                Assert.Contains("cursor", other.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }
        while (cursor is not null);

        Assert.Equal(29, seen.Count);
        var dates = seen.Select(i => i.GetProperty("date").GetDateTimeOffset()).ToList();
        Assert.Equal(dates.OrderDescending(), dates);
        Assert.Equal(29, seen.Select(i => i.GetProperty("id").GetInt64()).Distinct().Count());
    }

    [Theory]
    [InlineData("\"unbalanced", "Unbalanced quote")]
    [InlineData("color:red", "Unknown field 'color:'")]
    [InlineData("before:yesterday", "not a date")]
    [InlineData("after:2026-02-30", "not a date")]
    [InlineData("has:pictures", "has:attachment")]
    [InlineData("from:", "needs a value")]
    [InlineData("   ", "q is required")]
    [InlineData("in:Nowhere", "in:Nowhere names no folder")]
    public async Task Bad_queries_are_a_400_that_says_what_is_wrong(string query, string expected)
    {
        var problem = await ApiAssert.ProblemAsync(await api.ClientA().GetAsync(Q(query), Ct), HttpStatusCode.BadRequest);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_is_in_the_openapi_document()
    {
        var document = await ApiAssert.JsonAsync(await api.App.Client(null).GetAsync("/openapi/v1.json", Ct), HttpStatusCode.OK);
        var search = document.GetProperty("paths").GetProperty("/v1/search").GetProperty("get");
        Assert.Equal("SearchMessages", search.GetProperty("operationId").GetString());
        Assert.Contains(search.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "q");
    }
}
