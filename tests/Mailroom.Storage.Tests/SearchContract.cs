using System.Text;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Contacts;
using Mailroom.Core.Messages;
using Mailroom.Core.Search;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Storage.Ingest;
using Mailroom.Storage.Model;
using Mailroom.Storage.Queries;
using Mailroom.Storage.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Storage.Tests;

/// <summary>Full-text search (Migrations/Search, <see cref="OrganizationQueries.SearchAsync"/>) on each provider.</summary>
public abstract class SearchContract<TDatabase>(TDatabase database)
    where TDatabase : TestDatabase
{
    private static readonly DateTimeOffset Day = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private OrganizationQueries Queries => database.Services.GetRequiredService<OrganizationQueries>();

    [Fact]
    public async Task Every_query_form_finds_exactly_its_messages()
    {
        var s = await SeedAsync();
        await Expect(s, "budget", s.Budget);
        await Expect(s, "BUDGET", s.Budget);
        await Expect(s, "\"review the attached\"", s.Budget);
        await Expect(s, "\"attached the review\"");
        await Expect(s, "budget friday", s.Budget);
        await Expect(s, "budget interview");
        await Expect(s, "from:anna", s.Budget);
        await Expect(s, "from:anna@acme.example", s.Budget);
        await Expect(s, "from:\"Anna Schmidt\"", s.Budget);
        await Expect(s, "from:bob");
        await Expect(s, "to:bob", s.Budget);
        await Expect(s, "to:bob@corp.example budget", s.Budget);
        await Expect(s, "subject:budget", s.Budget);
        await Expect(s, "subject:friday");
        await Expect(s, "xlsx", s.Budget);
        await Expect(s, "has:attachment", s.Budget);
        await Expect(s, "interview", s.Html);
        await Expect(s, "\"confirmed & scheduled\"", s.Html);
        await Expect(s, "before:2026-03-03", s.Budget, s.Russian);
        await Expect(s, "after:2026-03-04 before:2026-03-05", s.German);
        await Expect(s, "after:2026-03-05", s.Html, s.Japanese, s.Sent);
        await Expect(s, "in:inbox after:2026-03-05", s.Html, s.Japanese);
        await Expect(s, "in:INBOX.Sent", s.Sent);
        await Expect(s, "in:sent", s.Sent);
        await Expect(s, "in:sent budget");
        await Expect(s, $"mailbox:{s.Mailbox} in:sent", s.Sent);
        await Expect(s, "contact:cand-7", s.Russian, s.Sent);
        await Expect(s, "contact:cand-7 interview");
        await Expect(s, "contact:cand-7 собеседование", s.Russian);
    }

    [Fact]
    public async Task Russian_German_and_Japanese_messages_are_found_by_a_word_they_contain()
    {
        var s = await SeedAsync();
        await Expect(s, "собеседование", s.Russian);
        await Expect(s, "СОБЕСЕДОВАНИЕ", s.Russian);
        await Expect(s, "from:иван", s.Russian);
        await Expect(s, "Müller", s.German);
        await Expect(s, "Muller", s.German);
        await Expect(s, "Mueller", s.German);
        await Expect(s, "grüße", s.German);
        await Expect(s, "grusse", s.German);
        await Expect(s, "Köln", s.German);
        await Expect(s, "koeln", s.German);
        await Expect(s, "from:weiß", s.German);
        await Expect(s, "from:weiss", s.German);
        await Expect(s, "\"frau müller vielen\"", s.German);
        await Expect(s, "東京", s.Japanese);
        await Expect(s, "面接", s.Japanese);
        await Expect(s, "オフィス", s.Japanese);
        await Expect(s, "subject:案内", s.Japanese);
        await Expect(s, "京都");
        await Expect(s, "面", s.Japanese);
    }

    [Fact]
    public async Task Highlights_escape_the_message_and_mark_only_the_match()
    {
        var s = await SeedAsync();
        var hit = Assert.Single((await Queries.SearchAsync(s.Org, Parse("offer"), null, 10, Ct)).Hits);
        Assert.Equal("&lt;script&gt;alert(1)&lt;/script&gt; <mark>offer</mark>", hit.SubjectHtml);
        Assert.Equal("Your <mark>offer</mark> &lt;img src=x onerror=alert(1)&gt; is ready", hit.SnippetHtml);

        var german = Assert.Single((await Queries.SearchAsync(s.Org, Parse("mueller"), null, 10, Ct)).Hits);
        Assert.Contains("Frau <mark>Müller</mark>,", german.SnippetHtml, StringComparison.Ordinal);
        var japanese = Assert.Single((await Queries.SearchAsync(s.Org, Parse("東京"), null, 10, Ct)).Hits);
        Assert.StartsWith("<mark>東京</mark>オフィス", japanese.SnippetHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_page_newest_first_with_undated_last_and_stay_in_their_organization()
    {
        var (org, _, folder) = await NewMailboxAsync();
        var (otherOrg, _, otherFolder) = await NewMailboxAsync();
        var batch = Enumerable.Range(0, 7)
            .Select(i => Message((uint)(i + 1), $"Report {i}", "the weekly report", date: i == 6 ? null : Day.AddHours(i % 3)))
            .Append(Message(20, "Other", "nothing here", date: Day))
            .ToList();
        await database.Messages.SaveMessagesAsync(folder, batch, Ct);
        await database.Messages.SaveMessagesAsync(otherFolder, [Message(1, "Report", "the weekly report", date: Day.AddDays(1))], Ct);

        var seen = new List<MessageSummary>();
        DateKeyset? cursor = null;
        do
        {
            var page = await Queries.SearchAsync(org, Parse("weekly report"), cursor, 3, Ct);
            Assert.Null(page.Problem);
            seen.AddRange(page.Hits.Select(h => h.Message));
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(7, seen.Count);
        Assert.Equal(7, seen.Select(m => m.Id).Distinct().Count());
        var dated = seen.Take(6).ToList();
        Assert.Equal(dated.OrderByDescending(m => m.Date).ThenByDescending(m => m.Id).Select(m => m.Id), dated.Select(m => m.Id));
        Assert.Null(seen[^1].Date);
        Assert.Single((await Queries.SearchAsync(otherOrg, Parse("weekly report"), null, 10, Ct)).Hits);
    }

    [Fact]
    public async Task A_word_in_many_messages_of_several_mailboxes_pages_in_date_order()
    {
        // Over a thousand matches: SQLite walks each mailbox's dates and merges (OrganizationQueries.FindPageAsync).
        var (org, _, first) = await NewMailboxAsync();
        var second = await database.Messages.UpsertFolderAsync(
            (await database.Accounts.AddMailboxAsync(org, "second", MailboxProtocol.Imap,
                new MailboxSettings { Host = "imap.example.org", Port = 993, UserName = "two@example.com" }, "s", Ct)).Id,
            new RemoteFolder("INBOX", '.', FolderRole.Inbox, true), Ct);
        var (_, _, otherOrgFolder) = await NewMailboxAsync();
        for (var start = 0; start < 1_200; start += 300)
        {
            await database.Messages.SaveMessagesAsync(first, [.. Enumerable.Range(start, 300).Select(i =>
                Message((uint)(i + 1), $"Common {i}", i % 3 == 0 ? "a rare word" : "plain text", date: i % 50 == 7 ? null : Day.AddMinutes(i * 7 % 1_000)))], Ct);
        }
        await database.Messages.SaveMessagesAsync(second.Id, [.. Enumerable.Range(0, 150).Select(i =>
            Message((uint)(i + 1), $"Common in second {i}", "text", date: Day.AddMinutes(i * 11 % 997)))], Ct);
        await database.Messages.SaveMessagesAsync(otherOrgFolder, [Message(1, "Common elsewhere", "text", date: Day.AddDays(9))], Ct);

        var seen = new List<MessageSummary>();
        DateKeyset? cursor = null;
        do
        {
            var page = await Queries.SearchAsync(org, Parse("common"), cursor, 97, Ct);
            seen.AddRange(page.Hits.Select(h => h.Message));
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(1_350, seen.Count);
        Assert.Equal(1_350, seen.Select(m => m.Id).Distinct().Count());
        var expected = seen.OrderByDescending(m => m.Date.HasValue).ThenByDescending(m => m.Date).ThenByDescending(m => m.Id).Select(m => m.Id);
        Assert.Equal(expected, seen.Select(m => m.Id));
        Assert.Equal(400, (await CountAllAsync(org, "common rare")));
    }

    private async Task<int> CountAllAsync(long org, string query)
    {
        var count = 0;
        DateKeyset? cursor = null;
        do
        {
            var page = await Queries.SearchAsync(org, Parse(query), cursor, 500, Ct);
            count += page.Hits.Count;
            cursor = page.Next;
        }
        while (cursor is not null);
        return count;
    }

    [Fact]
    public async Task Filters_that_name_nothing_in_the_organization_are_refused()
    {
        var s = await SeedAsync();
        var (otherOrg, otherMailbox, _) = await NewMailboxAsync();
        Assert.Contains("in:Nowhere", (await Queries.SearchAsync(s.Org, Parse("in:Nowhere"), null, 10, Ct)).Problem, StringComparison.Ordinal);
        Assert.Contains("contact:nobody", (await Queries.SearchAsync(s.Org, Parse("contact:nobody"), null, 10, Ct)).Problem, StringComparison.Ordinal);
        Assert.NotNull((await Queries.SearchAsync(s.Org, Parse($"mailbox:{otherMailbox}"), null, 10, Ct)).Problem);
        Assert.NotNull((await Queries.SearchAsync(otherOrg, Parse($"mailbox:{s.Mailbox}"), null, 10, Ct)).Problem);
        Assert.NotNull((await Queries.SearchAsync(otherOrg, Parse("contact:cand-7"), null, 10, Ct)).Problem);
    }

    [Fact]
    public async Task Removing_a_mailbox_removes_its_messages_from_the_index()
    {
        var (org, mailbox, folder) = await NewMailboxAsync();
        await database.Messages.SaveMessagesAsync(folder, [Message(1, "Zebra crossing", "zebra"), Message(2, "Zebra", "zebra again")], Ct);
        var ids = (await Queries.SearchAsync(org, Parse("zebra"), null, 10, Ct)).Hits.Select(h => h.Message.Id).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Equal(2, await IndexRowsAsync(ids));

        Assert.True(await database.Accounts.RemoveMailboxAsync(mailbox, Ct));
        Assert.Equal(0, await IndexRowsAsync(ids));
    }

    [Fact]
    public async Task Backfill_indexes_messages_stored_before_the_index_and_only_once()
    {
        var (org, _, folder) = await NewMailboxAsync();
        await database.Messages.SaveMessagesAsync(folder,
        [
            Message(1, "Legacy pelican", "stored long ago", attachment: "pelican-notes.pdf"),
            Message(2, "Legacy", "stored long ago by <b>Jürgen</b>", html: true),
            Message(3, "Legacy", "another old one"),
        ], Ct);
        var ids = (await Queries.SearchAsync(org, Parse("legacy"), null, 10, Ct)).Hits.Select(h => h.Message.Id).ToList();
        Assert.Equal(3, ids.Count);
        // The store as it was before the index: no message up to the newest legacy one (other tests' too) has a row.
        await DeleteIndexRowsUpToAsync(ids.Max());
        Assert.Empty((await Queries.SearchAsync(org, Parse("legacy"), null, 10, Ct)).Hits);

        var backfill = database.Services.GetRequiredService<SearchIndexBackfill>();
        // In two steps, as a stopped and restarted job would: the second picks up below the first's last id.
        var (first, last) = await backfill.IndexNextAsync(2, Ct);
        Assert.Equal(2, first);
        Assert.True(await backfill.IndexAllAsync(500, Ct) >= 1);
        Assert.Equal(0, await backfill.IndexAllAsync(500, Ct));
        Assert.NotNull(last);

        Assert.Equal(3, (await Queries.SearchAsync(org, Parse("legacy"), null, 10, Ct)).Hits.Count);
        Assert.Single((await Queries.SearchAsync(org, Parse("pdf pelican"), null, 10, Ct)).Hits);
        Assert.Single((await Queries.SearchAsync(org, Parse("juergen"), null, 10, Ct)).Hits);
        Assert.Equal(3, (await Queries.SearchAsync(org, Parse("from:zed to:team@corp.example"), null, 10, Ct)).Hits.Count);
    }

    private sealed record Seeded(long Org, long Mailbox, long Budget, long Russian, long German, long Japanese, long Html, long Offer, long Sent);

    private async Task<Seeded> SeedAsync()
    {
        var (org, mailbox, inbox) = await NewMailboxAsync();
        var sent = await database.Messages.UpsertFolderAsync(mailbox, new RemoteFolder("INBOX.Sent", '.', FolderRole.Sent, true), Ct);
        await database.Services.GetRequiredService<IContactStore>().UpsertAsync(org, new ContactInput("cand-7", "Иван", ["ivan@example.ru"]), Ct);
        await database.Messages.SaveMessagesAsync(inbox,
        [
            Message(1, "Quarterly budget review", "Please review the attached budget before Friday.", Day.AddDays(-9),
                from: ("Anna Schmidt", "anna@acme.example"), to: ("Bob", "bob@corp.example"), attachment: "budget-2026.xlsx"),
            Message(2, "Встреча", "Привет! Завтра собеседование с кандидатом в 10 утра.", Day.AddDays(-8), from: ("Иван", "ivan@example.ru")),
            Message(3, "Bewerbung", "Sehr geehrte Frau Müller, vielen Dank für Ihre Bewerbung. Grüße aus Köln", Day.AddDays(-6),
                from: ("Jürgen Weiß", "jw@example.de")),
            Message(4, "面接のご案内", "東京オフィスで面接を行います。よろしくお願いします。", Day.AddDays(-1), from: ("田中", "tanaka@example.jp")),
            Message(5, "Re: schedule", "<p>The <b>interview</b> is confirmed &amp; scheduled</p>", Day, html: true),
            Message(6, "<script>alert(1)</script> offer", "Your offer <img src=x onerror=alert(1)> is ready", null),
        ], Ct);
        await database.Messages.SaveMessagesAsync(sent.Id,
            [Message(1, "Re: Встреча", "До завтра", Day.AddDays(1), from: ("Me", "me@example.com"), to: ("Иван", "ivan@example.ru"))], Ct);

        async Task<long> Id(string query) => Assert.Single((await Queries.SearchAsync(org, Parse(query), null, 10, Ct)).Hits).Message.Id;
        return new Seeded(org, mailbox, await Id("quarterly"), await Id("привет"), await Id("bewerbung"), await Id("よろしく"),
            await Id("schedule"), await Id("onerror"), await Id("до"));
    }

    private async Task Expect(Seeded s, string query, params long[] expected)
    {
        var result = await Queries.SearchAsync(s.Org, Parse(query), null, 50, Ct);
        Assert.Null(result.Problem);
        Assert.True(
            expected.Order().SequenceEqual(result.Hits.Select(h => h.Message.Id).Order()),
            $"{query}: expected [{string.Join(", ", expected.Order())}], found [{string.Join(", ", result.Hits.Select(h => h.Message.Id).Order())}]");
    }

    private static SearchQuery Parse(string text) =>
        SearchQueryParser.TryParse(text, out var query, out var error) ? query : throw new InvalidOperationException(error);

    private static IngestedMessage Message(
        uint uid, string subject, string body, DateTimeOffset? date = null, (string Name, string Address)? from = null,
        (string Name, string Address)? to = null, string? attachment = null, bool html = false)
    {
        var sender = from ?? ("Zed Default", "zed@default.example");
        var recipient = to ?? ("Team", "team@corp.example");
        var raw = Encoding.UTF8.GetBytes($"Subject: {subject}\r\nX-Test: {Guid.NewGuid()}\r\n\r\n{body}\r\n");
        var message = new NormalizedMessage
        {
            MessageId = Guid.NewGuid().ToString("N") + "@test",
            Subject = subject,
            Date = date,
            From = [new MessageAddress(sender.Name, sender.Address)],
            To = [new MessageAddress(recipient.Name, recipient.Address)],
            TextBody = html ? null : body,
            HtmlBody = html ? body : null,
            Snippet = body.Length > 200 ? body[..200] : body,
            Attachments = attachment is null ? [] : [new AttachmentInfo(attachment, "application/octet-stream", 10, null, false, "2")],
        };
        return TestMessages.Ingest(uid, raw, message);
    }

    private async Task<(long Org, long Mailbox, long Folder)> NewMailboxAsync()
    {
        var org = await database.Accounts.EnsureOrganizationAsync("org-" + Guid.NewGuid().ToString("N"), Ct);
        var mailbox = await database.Accounts.AddMailboxAsync(org, "m", MailboxProtocol.Imap, new MailboxSettings { Host = "imap.example.org", Port = 993, UserName = "me@example.com" }, "s", Ct);
        var folder = await database.Messages.UpsertFolderAsync(mailbox.Id, new RemoteFolder("INBOX", '.', FolderRole.Inbox, true), Ct);
        return (org, mailbox.Id, folder.Id);
    }

    private async Task<int> IndexRowsAsync(IReadOnlyList<long> ids)
    {
        await using var db = database.Services.GetRequiredService<MailroomContextFactory>().Create();
        var list = string.Join(",", ids);
        var sql = db.Provider == StorageProvider.Sqlite
            ? $"SELECT count(*) AS \"Value\" FROM message_search_docsize WHERE id IN ({list})"
            : $"SELECT count(*)::int AS \"Value\" FROM message_search WHERE message_id IN ({list})";
        return await db.Database.SqlQueryRaw<int>(sql).SingleAsync(Ct);
    }

    private async Task DeleteIndexRowsUpToAsync(long maxId)
    {
        await using var db = database.Services.GetRequiredService<MailroomContextFactory>().Create();
        var sql = db.Provider == StorageProvider.Sqlite
            ? $"DELETE FROM message_search WHERE rowid IN (SELECT id FROM message_search_docsize WHERE id <= {maxId})"
            : $"DELETE FROM message_search WHERE message_id <= {maxId}";
        await db.Database.ExecuteSqlRawAsync(sql, Ct);
    }
}

public sealed class SqliteSearchTests(SqliteTestDatabase database)
    : SearchContract<SqliteTestDatabase>(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresSearchTests(PostgresTestDatabase database)
    : SearchContract<PostgresTestDatabase>(database), IClassFixture<PostgresTestDatabase>;
