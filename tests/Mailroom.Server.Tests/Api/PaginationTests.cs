using System.Net;
using System.Text.Json;
using Mailroom.Core.Contacts;
using Mailroom.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Server.Tests.Api;

/// <summary>Walking every list page by page yields each row once, in order, whatever the page size.</summary>
public sealed class PaginationTests(SeededApi api) : IClassFixture<SeededApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<List<JsonElement>> WalkAsync(string url, int limit)
    {
        var rows = new List<JsonElement>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var page = await ApiAssert.JsonAsync(await api.ClientA().GetAsync(
                $"{url}{separator}limit={limit}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), Ct), HttpStatusCode.OK);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.True(items.Count <= limit);
            cursor = page.GetProperty("nextCursor").GetString();
            if (cursor is not null)
                Assert.Equal(limit, items.Count);
            rows.AddRange(items);
            Assert.True(++pages < 1000);
        }
        while (cursor is not null);
        return rows;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    [InlineData(500)]
    public async Task Messages_walk_without_loss_or_duplication(int limit)
    {
        var rows = await WalkAsync($"/v1/messages?mailbox={api.A1.Id}", limit);
        var ids = rows.Select(r => r.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(SeededApi.InboxMessages, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        // Newest first by date; the two undated messages last, by id descending.
        var dates = rows.Select(r => r.GetProperty("date").ValueKind == JsonValueKind.Null ? (DateTimeOffset?)null : r.GetProperty("date").GetDateTimeOffset()).ToList();
        Assert.Equal([null, null], dates.TakeLast(2));
        var dated = dates.Take(dates.Count - 2).Select(d => d!.Value).ToList();
        Assert.Equal(dated.OrderByDescending(d => d), dated);
        Assert.True(ids[^2] > ids[^1]);
    }

    [Fact]
    public async Task A_message_added_between_pages_neither_shifts_nor_repeats_a_page()
    {
        var first = await ApiAssert.JsonAsync(await api.ClientA().GetAsync($"/v1/messages?mailbox={api.A1.Id}&limit=5", Ct), HttpStatusCode.OK);
        var seen = first.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToList();
        // Newer than everything: it belongs before the first page, so the walk that already began does not see it.
        var extra = await api.App.NewMailboxAsync(api.OrgA, "late");
        await api.App.StoreAsync((await api.App.FolderAsync(extra.Id, "INBOX", Mailroom.Core.Sync.FolderRole.Inbox)).Id,
            (1, Mailroom.Core.Connectors.MessageFlags.Seen, "From: x@example.com\r\nSubject: late\r\nDate: Tue, 01 Dec 2026 00:00:00 +0000\r\nMessage-ID: <late@x>\r\n\r\nlate\r\n"));
        var cursor = first.GetProperty("nextCursor").GetString();
        var rest = new List<long>();
        while (cursor is not null)
        {
            var page = await ApiAssert.JsonAsync(await api.ClientA().GetAsync($"/v1/messages?mailbox={api.A1.Id}&limit=5&cursor={Uri.EscapeDataString(cursor)}", Ct), HttpStatusCode.OK);
            rest.AddRange(page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        Assert.Equal(SeededApi.InboxMessages, seen.Count + rest.Count);
        Assert.Empty(seen.Intersect(rest));
    }

    [Fact]
    public async Task Threads_contacts_mailboxes_and_outbox_walk_without_loss_or_duplication()
    {
        var threads = await WalkAsync($"/v1/threads?mailbox={api.A1.Id}", 4);
        var all = await ApiAssert.JsonAsync(await api.ClientA().GetAsync($"/v1/threads?mailbox={api.A1.Id}&limit=500", Ct), HttpStatusCode.OK);
        Assert.Equal(all.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetInt64()), threads.Select(t => t.GetProperty("id").GetInt64()));
        Assert.Equal(SeededApi.InboxMessages - 1, threads.Count); // the reply shares its parent's thread

        var contacts = api.App.Services.GetRequiredService<IContactStore>();
        for (var i = 0; i < 23; i++)
            await contacts.UpsertAsync(api.OrgA, new ContactInput($"page-{i:D2}", $"P {i}", [$"p{i}@example.com"]), Ct);
        var walked = (await WalkAsync("/v1/contacts", 5)).Select(c => c.GetProperty("externalId").GetString()!).ToList();
        Assert.Equal(walked.Distinct().Count(), walked.Count);
        Assert.Equal(walked.Order(StringComparer.Ordinal), walked);
        Assert.Equal(23, walked.Count(w => w.StartsWith("page-", StringComparison.Ordinal)));
        Assert.Contains("alice", walked);

        for (var i = 0; i < 4; i++)
            await api.App.NewMailboxAsync(api.OrgA, $"page-mb-{i}");
        var mailboxes = (await WalkAsync("/v1/mailboxes", 2)).Select(m => m.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(mailboxes.Order(), mailboxes);
        Assert.Equal(mailboxes.Distinct().Count(), mailboxes.Count);
        Assert.True(mailboxes.Count >= 5);

        for (var i = 0; i < 7; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/send")
            {
                Content = ApiAssert.Body(new { account = "a1", to = new[] { "x@example.com" }, subject = $"page {i}", text = "t" }),
            };
            request.Headers.Add("Idempotency-Key", $"page-{i}");
            await ApiAssert.JsonAsync(await api.ClientA().SendAsync(request, Ct), HttpStatusCode.Accepted);
        }
        var outbox = (await WalkAsync("/v1/outbox", 3)).Select(o => o.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(7, outbox.Count);
        Assert.Equal(outbox.OrderDescending(), outbox);
    }
}
