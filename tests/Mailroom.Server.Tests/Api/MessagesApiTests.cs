using System.Net;
using System.Text.Json;

namespace Mailroom.Server.Tests.Api;

public sealed class MessagesApiTests(SeededApi api) : IClassFixture<SeededApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonElement.ArrayEnumerator Items(JsonElement page) => page.GetProperty("items").EnumerateArray();

    [Fact]
    public async Task Get_message_has_addresses_threading_attachments_and_folders()
    {
        var message = await ApiAssert.JsonAsync(await api.ClientA().GetAsync($"/v1/messages/{api.ReplyMessageA}", Ct), HttpStatusCode.OK);
        Assert.Equal("Re: Proposal", message.GetProperty("subject").GetString());
        Assert.Equal("reference", message.GetProperty("threadReason").GetString());
        Assert.Equal(api.ThreadA, message.GetProperty("threadId").GetInt64());
        Assert.Equal("html-1@example.com", message.GetProperty("inReplyTo").GetString());
        var addresses = message.GetProperty("addresses").EnumerateArray().Select(a => (a.GetProperty("role").GetString(), a.GetProperty("address").GetString())).ToList();
        Assert.Contains(("from", "a1@example.test"), addresses);
        Assert.Contains(("to", "alice@example.com"), addresses);
        var folders = message.GetProperty("folders").EnumerateArray().Select(f => f.GetProperty("path").GetString()).ToList();
        Assert.Equal(["INBOX", "Sent"], folders);
        Assert.Contains("seen", message.GetProperty("folders")[0].GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.False(message.GetProperty("unread").GetBoolean());

        var html = await ApiAssert.JsonAsync(await api.ClientA().GetAsync($"/v1/messages/{api.HtmlMessageA}", Ct), HttpStatusCode.OK);
        Assert.Equal("root", html.GetProperty("threadReason").GetString());
        Assert.True(html.GetProperty("unread").GetBoolean());
        Assert.True(html.GetProperty("hasHtml").GetBoolean());
        var pdf = html.GetProperty("attachments").EnumerateArray().Single(a => a.GetProperty("fileName").GetString() == "offer.pdf");
        Assert.Equal("application/pdf", pdf.GetProperty("contentType").GetString());
        Assert.False(pdf.GetProperty("inline").GetBoolean());
        Assert.Contains(html.GetProperty("attachments").EnumerateArray(), a => a.GetProperty("contentId").GetString() == "logo@x");
    }

    [Fact]
    public async Task Missing_message_is_a_404_problem() =>
        await ApiAssert.ProblemAsync(await api.ClientA().GetAsync("/v1/messages/987654321", Ct), HttpStatusCode.NotFound);

    [Fact]
    public async Task Raw_download_is_the_stored_eml()
    {
        var response = await api.ClientA().GetAsync($"/v1/messages/{api.ReplyMessageA}/raw", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("message/rfc822", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("From: a1@example.test\r\n", text, StringComparison.Ordinal);
        Assert.Contains("In-Reply-To: <html-1@example.com>\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attachment_download_is_decoded_and_never_rendered()
    {
        var html = await ApiAssert.JsonAsync(await api.ClientA().GetAsync($"/v1/messages/{api.HtmlMessageA}", Ct), HttpStatusCode.OK);
        var pdf = html.GetProperty("attachments").EnumerateArray().Single(a => a.GetProperty("fileName").GetString() == "offer.pdf");
        var response = await api.ClientA().GetAsync(pdf.GetProperty("download").GetString(), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("offer.pdf", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.StartsWith("%PDF-1.4", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        await ApiAssert.ProblemAsync(await api.ClientA().GetAsync($"/v1/messages/{api.HtmlMessageA}/attachments/99", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Html_is_sanitized_with_its_privacy_report_and_inline_images_under_v1()
    {
        var view = await ApiAssert.JsonAsync(await api.ClientA().GetAsync($"/v1/messages/{api.HtmlMessageA}/html", Ct), HttpStatusCode.OK);
        var html = view.GetProperty("html").GetString()!;
        Assert.Contains("<b>there</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("tracker.example", html, StringComparison.Ordinal);
        Assert.DoesNotContain("images.example", html, StringComparison.Ordinal);
        Assert.False(view.GetProperty("remoteAllowed").GetBoolean());
        var counts = view.GetProperty("report").GetProperty("counts");
        Assert.True(counts.GetProperty("tracking_pixel").GetInt32() >= 1, counts.ToString());
        Assert.True(counts.GetProperty("remote_content_blocked").GetInt32() >= 1, counts.ToString());

        var inline = System.Text.RegularExpressions.Regex.Match(html, "/v1/messages/\\d+/inline/\\d+").Value;
        Assert.NotEmpty(inline);
        var image = await api.ClientA().GetAsync(inline, Ct);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Convert.FromBase64String(SeededApi.Png1x1Base64), await image.Content.ReadAsByteArrayAsync(Ct));
        await ApiAssert.ProblemAsync(await api.ClientA().GetAsync($"/v1/messages/{api.HtmlMessageA}/inline/0", Ct), HttpStatusCode.NotFound);
        await ApiAssert.ProblemAsync(await api.ClientA().GetAsync($"/v1/messages/{api.HtmlMessageA}/html?remote=7", Ct), HttpStatusCode.BadRequest);

        var remote = await ApiAssert.JsonAsync(await api.ClientA().GetAsync($"/v1/messages/{api.HtmlMessageA}/html?remote=1", Ct), HttpStatusCode.OK);
        Assert.Contains("/view/proxy?", remote.GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("tracker.example", remote.GetProperty("html").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_view_link_opens_that_message_s_view_without_a_key_and_nothing_else()
    {
        var id = api.HtmlMessageA;
        var link = await ApiAssert.JsonAsync(await api.ClientA().GetAsync($"/v1/messages/{id}/view", Ct), HttpStatusCode.OK);
        var url = link.GetProperty("url").GetString()!;
        Assert.Matches($"^/view/messages/{id}\\?e=\\d+&s=[A-Za-z0-9_-]+$", url);
        var expires = link.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        await ApiAssert.ProblemAsync(await api.ClientB().GetAsync($"/v1/messages/{id}/view", Ct), HttpStatusCode.NotFound);
        await ApiAssert.ProblemAsync(await api.App.Client(null).GetAsync($"/v1/messages/{id}/view", Ct), HttpStatusCode.Unauthorized);

        // The browser has no key: the link alone opens the page, its document and the inline images the document names.
        var browser = api.App.Client(null);
        var page = await browser.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var body = System.Text.RegularExpressions.Regex.Match(await page.Content.ReadAsStringAsync(Ct), "src=\"(/view/messages/[^\"]+/body[^\"]*)\"").Groups[1].Value;
        var document = await browser.GetAsync(System.Net.WebUtility.HtmlDecode(body), Ct);
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        var inline = System.Text.RegularExpressions.Regex.Match(await document.Content.ReadAsStringAsync(Ct), "/view/messages/\\d+/inline/\\d+\\?e=\\d+&amp;s=[A-Za-z0-9_-]+").Value;
        Assert.NotEmpty(inline);
        var image = await browser.GetAsync(System.Net.WebUtility.HtmlDecode(inline), Ct);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal(Convert.FromBase64String(SeededApi.Png1x1Base64), await image.Content.ReadAsByteArrayAsync(Ct));

        // Without the link, or with another message's, nothing of it is served.
        var query = url[url.IndexOf('?', StringComparison.Ordinal)..];
        foreach (var refused in new[]
        {
            $"/view/messages/{id}", $"/view/messages/{id}/body", $"/view/messages/{id}/report", $"/view/messages/{id}/parts/0",
            $"/view/messages/{id}/inline/1", $"/view/messages/{api.MessageB}{query}", $"/view/messages/{api.MessageB}/parts/0{query}",
            $"/view/messages/{id}{query}0",
        })
            Assert.True((await browser.GetAsync(refused, Ct)).StatusCode == HttpStatusCode.Forbidden, refused);
    }

    [Fact]
    public async Task Filters_narrow_the_list()
    {
        var a = api.ClientA();
        async Task<List<string?>> Subjects(string query) =>
            [.. Items(await ApiAssert.JsonAsync(await a.GetAsync("/v1/messages?limit=500&" + query, Ct), HttpStatusCode.OK)).Select(m => m.GetProperty("subject").GetString())];

        Assert.Equal(SeededApi.InboxMessages, (await Subjects($"mailbox={api.A1.Id}")).Count);
        Assert.Equal(["Re: Proposal"], await Subjects($"folder={api.SentA}"));
        Assert.Equal(["Re: Proposal", "Proposal"], await Subjects($"thread={api.ThreadA}"));
        Assert.Equal(["Re: Proposal", "Proposal"], await Subjects("contact=alice"));
        Assert.Equal(["Undated 1", "Proposal"], (await Subjects("unread=true")).Order().Reverse().ToList());
        Assert.Equal(SeededApi.InboxMessages - 2, (await Subjects("unread=false")).Count);
        Assert.Equal(["Re: Proposal", "Proposal"], await Subjects("since=2026-11-01T00:00:00Z"));
        Assert.Equal(["Re: Proposal", "Proposal"], await Subjects($"since=2026-11-01T00:00:00Z&mailbox={api.A1.Id}&folder={api.InboxA}"));
    }

    [Theory]
    [InlineData("/v1/messages?limit=0")]
    [InlineData("/v1/messages?limit=501")]
    [InlineData("/v1/messages?cursor=not-a-cursor")]
    [InlineData("/v1/messages?since=yesterday")]
    [InlineData("/v1/messages?unread=maybe")]
    [InlineData("/v1/messages?mailbox=abc")]
    public async Task Bad_list_parameters_are_400_problems(string url) =>
        await ApiAssert.ProblemAsync(await api.ClientA().GetAsync(url, Ct), HttpStatusCode.BadRequest);

    [Fact]
    public async Task A_cursor_of_another_list_is_refused()
    {
        var threads = await ApiAssert.JsonAsync(await api.ClientA().GetAsync("/v1/threads?limit=1", Ct), HttpStatusCode.OK);
        var cursor = threads.GetProperty("nextCursor").GetString();
        Assert.NotNull(cursor);
        await ApiAssert.ProblemAsync(await api.ClientA().GetAsync($"/v1/messages?cursor={cursor}", Ct), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Folder_of_another_mailbox_in_the_same_filter_is_a_400()
    {
        var other = await api.App.NewMailboxAsync(api.OrgA, "a-other");
        await ApiAssert.ProblemAsync(await api.ClientA().GetAsync($"/v1/messages?mailbox={other.Id}&folder={api.InboxA}", Ct), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Threads_list_and_get_with_messages()
    {
        var a = api.ClientA();
        var threads = await ApiAssert.JsonAsync(await a.GetAsync($"/v1/threads?mailbox={api.A1.Id}&limit=500", Ct), HttpStatusCode.OK);
        var first = Items(threads).First();
        Assert.Equal(api.ThreadA, first.GetProperty("id").GetInt64());
        Assert.Equal(2, first.GetProperty("messageCount").GetInt32());
        Assert.Null(threads.GetProperty("nextCursor").GetString());

        var thread = await ApiAssert.JsonAsync(await a.GetAsync($"/v1/threads/{api.ThreadA}", Ct), HttpStatusCode.OK);
        Assert.Equal("Proposal", thread.GetProperty("thread").GetProperty("subject").GetString());
        var messages = thread.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["root", "reference"], messages.Select(m => m.GetProperty("reason").GetString()));
        Assert.Equal(["INBOX", "Sent"], messages[1].GetProperty("folders").EnumerateArray().Select(f => f.GetString()));
        await ApiAssert.ProblemAsync(await a.GetAsync("/v1/threads/987654321", Ct), HttpStatusCode.NotFound);
    }
}
