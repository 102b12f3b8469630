using System.Text;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Contacts;
using Mailroom.Core.Messages;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Storage.Queries;
using Mailroom.Storage.Stores;
using Mailroom.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Storage.Tests;

/// <summary>The API's reads (<see cref="OrganizationQueries"/>) and keys (<see cref="ApiKeyStore"/>), per provider.</summary>
public abstract class OrganizationQueriesContract<TDatabase>(TDatabase database)
    where TDatabase : TestDatabase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private OrganizationQueries Queries => database.Services.GetRequiredService<OrganizationQueries>();

    [Fact]
    public async Task Keys_authenticate_until_revoked()
    {
        var keys = database.Services.GetRequiredService<ApiKeyStore>();
        var org = await database.Accounts.EnsureOrganizationAsync("keys-" + Guid.NewGuid().ToString("N"), Ct);
        var (record, key) = await keys.CreateAsync(org, "k", Ct);
        Assert.Equal(org, await keys.AuthenticateAsync(key, Ct));
        Assert.Null(await keys.AuthenticateAsync(key + "x", Ct));
        Assert.Null(await keys.AuthenticateAsync("mr_", Ct));
        Assert.Equal(record.Id, (await keys.RevokeAsync(record.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct))!.Id);
        Assert.Null(await keys.AuthenticateAsync(key, Ct));
        Assert.NotNull((await keys.ListAsync(org, Ct)).Single().RevokedAt);
        Assert.Null(await keys.RevokeAsync("mr_nosuchkey", Ct));
    }

    [Fact]
    public async Task A_key_revoked_within_an_organization_is_only_that_organizations()
    {
        var keys = database.Services.GetRequiredService<ApiKeyStore>();
        var org = await database.Accounts.EnsureOrganizationAsync("keys-" + Guid.NewGuid().ToString("N"), Ct);
        var other = await database.Accounts.EnsureOrganizationAsync("keys-" + Guid.NewGuid().ToString("N"), Ct);
        var (record, key) = await keys.CreateAsync(org, "k", Ct);
        Assert.Null(await keys.RevokeAsync(other, record.Id, Ct));
        Assert.Equal(org, await keys.AuthenticateAsync(key, Ct));
        Assert.Equal(record.Id, (await keys.RevokeAsync(org, record.Id, Ct))!.Id);
        Assert.Null(await keys.AuthenticateAsync(key, Ct));
    }

    [Fact]
    public async Task Messages_page_newest_first_with_undated_last_and_never_cross_organizations()
    {
        var (org, mailbox, folder) = await NewMailboxAsync();
        var (otherOrg, otherMailbox, otherFolder) = await NewMailboxAsync();
        var start = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var batch = Enumerable.Range(0, 12)
            .Select(i => AddressedMessages.Create((uint)(i + 1), $"m{i}@x", "ann@example.com", "me@example.com", date: start.AddHours(i % 6)))
            .Append(Undated(100, "u1@x")).Append(Undated(101, "u2@x") with { Fetched = Undated(101, "u2@x").Fetched with { Flags = MessageFlags.Seen } })
            .ToList();
        await database.Messages.SaveMessagesAsync(folder, batch, Ct);
        await database.Messages.SaveMessagesAsync(otherFolder, [AddressedMessages.Create(1, "other@x", "ann@example.com", "me@example.com")], Ct);

        var seen = new List<MessageSummary>();
        DateKeyset? cursor = null;
        do
        {
            var (rows, next) = await Queries.ListMessagesAsync(org, new MessageFilter(null, null, null, null, null, null), cursor, 5, Ct);
            seen.AddRange(rows);
            cursor = next;
        }
        while (cursor is not null);
        Assert.Equal(14, seen.Count);
        Assert.Equal(14, seen.Select(m => m.Id).Distinct().Count());
        Assert.All(seen, m => Assert.Equal(mailbox, m.MailboxId));
        var dated = seen.Take(12).ToList();
        Assert.Equal(dated.OrderByDescending(m => m.Date).ThenByDescending(m => m.Id).Select(m => m.Id), dated.Select(m => m.Id));
        Assert.All(seen.Skip(12), m => Assert.Null(m.Date));

        var (unread, _) = await Queries.ListMessagesAsync(org, new MessageFilter(mailbox, folder, null, null, null, true), null, 50, Ct);
        Assert.Equal(13, unread.Count);
        var (since, _) = await Queries.ListMessagesAsync(org, new MessageFilter(null, null, null, null, start.AddHours(5), null), null, 50, Ct);
        Assert.Equal(2, since.Count);

        var contacts = database.Services.GetRequiredService<IContactStore>();
        var ann = await contacts.UpsertAsync(org, new ContactInput("ann", "Ann", ["ann@example.com"]), Ct);
        var (byContact, _) = await Queries.ListMessagesAsync(org, new MessageFilter(null, null, null, ann.Contact.Id, null, null), null, 50, Ct);
        Assert.Equal(12, byContact.Count);

        var otherMessage = (await database.Inspector.ListFolderMessagesAsync(otherFolder, Ct)).Single().MessageId;
        Assert.Null(await Queries.GetMessageAsync(org, otherMessage, Ct));
        Assert.Null(await Queries.GetRawAsync(org, otherMessage, Ct));
        Assert.NotNull(await Queries.GetMessageAsync(otherOrg, otherMessage, Ct));
        Assert.Null(await Queries.GetMailboxAsync(org, otherMailbox, Ct));
        Assert.Null(await Queries.GetFolderMailboxAsync(org, otherFolder, Ct));
        Assert.Equal(mailbox, await Queries.GetFolderMailboxAsync(org, folder, Ct));
    }

    [Fact]
    public async Task Threads_and_contacts_page_by_keyset()
    {
        var (org, mailbox, folder) = await NewMailboxAsync();
        var start = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        await database.Messages.SaveMessagesAsync(folder,
            [.. Enumerable.Range(0, 9).Select(i => AddressedMessages.Create((uint)(i + 1), $"t{i}@x", "bo@example.com", "me@example.com", date: start.AddDays(i % 3))),
                Undated(50, "tu@x")], Ct);
        var threads = new List<long>();
        DateKeyset? cursor = null;
        do
        {
            var (rows, next) = await Queries.ListThreadsAsync(org, mailbox, cursor, 4, Ct);
            threads.AddRange(rows.Select(r => r.Thread.Id));
            cursor = next;
        }
        while (cursor is not null);
        Assert.Equal(10, threads.Count);
        Assert.Equal(10, threads.Distinct().Count());

        var contacts = database.Services.GetRequiredService<IContactStore>();
        foreach (var id in new[] { "b", "a", "C", "a-2", "z" })
            await contacts.UpsertAsync(org, new ContactInput(id, id, [$"{id}@example.com"]), Ct);
        var walked = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await contacts.ListPageAsync(org, after, 2, Ct);
            if (page.Count == 0)
                break;
            walked.AddRange(page.Select(c => c.ExternalId));
            after = page[^1].ExternalId;
        }
        Assert.Equal(5, walked.Count);
        Assert.Equal(5, walked.Distinct().Count());
    }

    private static IngestedMessage Undated(uint uid, string messageId)
    {
        var raw = Encoding.ASCII.GetBytes($"From: dave@example.net\r\nSubject: undated\r\nMessage-ID: <{messageId}>\r\n\r\nx\r\n");
        var message = new NormalizedMessage { MessageId = messageId, Subject = "undated", From = [new MessageAddress(null, "dave@example.net")], Snippet = "x" };
        return TestMessages.Ingest(uid, raw, message);
    }

    private async Task<(long Org, long Mailbox, long Folder)> NewMailboxAsync()
    {
        var org = await database.Accounts.EnsureOrganizationAsync("org-" + Guid.NewGuid().ToString("N"), Ct);
        var mailbox = await database.Accounts.AddMailboxAsync(org, "m", MailboxProtocol.Imap, new MailboxSettings { Host = "imap.example.org", Port = 993, UserName = "me@example.com" }, "s", Ct);
        var folder = await database.Messages.UpsertFolderAsync(mailbox.Id, new RemoteFolder("INBOX", '/', FolderRole.Inbox, true), Ct);
        return (org, mailbox.Id, folder.Id);
    }
}
