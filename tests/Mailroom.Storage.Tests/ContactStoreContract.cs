using Mailroom.Core.Accounts;
using Mailroom.Core.Contacts;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Storage.Model;
using Mailroom.Storage.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Storage.Tests;

/// <summary><see cref="IContactStore"/>'s promises and ingest linking, run against each provider by a subclass.</summary>
public abstract class ContactStoreContract<TDatabase>(TDatabase database)
    where TDatabase : TestDatabase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IContactStore Contacts => database.Services.GetRequiredService<IContactStore>();

    private IMessageStore Store => database.Messages;

    private async Task<(MailboxRecord Mailbox, StoredFolder Inbox)> NewMailboxAsync(long? organizationId = null, string name = "alice@example.com", MailboxScope scope = MailboxScope.All)
    {
        var org = organizationId ?? await database.Accounts.EnsureOrganizationAsync("org-" + Guid.NewGuid().ToString("N"), Ct);
        // The mailbox's address is its login here, as onboarding sets it when the login is an address.
        var settings = new MailboxSettings { Host = "imap.example.com", Port = 993, UserName = name, Address = name, Scope = scope };
        var mailbox = await database.Accounts.AddMailboxAsync(org, name, MailboxProtocol.Imap, settings, "ciphertext", Ct);
        return (mailbox, await database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox));
    }

    private async Task<IReadOnlyList<TimelineEntry>> AllAsync(long org, string externalId, int pageSize = 100)
    {
        var entries = new List<TimelineEntry>();
        TimelineCursor? cursor = null;
        while (true)
        {
            var page = (await Contacts.GetTimelineAsync(org, externalId, pageSize, cursor, Ct))!;
            entries.AddRange(page.Entries);
            if (page.NextCursor is null)
                return entries;
            Assert.True(TimelineCursor.TryParse(page.NextCursor, out var next));
            cursor = next;
        }
    }

    private async Task<int> LinkCountAsync(long contactId)
    {
        await using var db = database.Services.GetRequiredService<MailroomContextFactory>().Create();
        return await db.MessageContacts.CountAsync(l => l.ContactId == contactId, Ct);
    }

    [Fact]
    public async Task A_search_finds_contacts_by_a_part_of_their_id_name_or_address_ignoring_case_in_pages_of_one_organization()
    {
        var org = await database.Accounts.EnsureOrganizationAsync("org-" + Guid.NewGuid().ToString("N"), Ct);
        var other = await database.Accounts.EnsureOrganizationAsync("org-" + Guid.NewGuid().ToString("N"), Ct);
        await Contacts.UpsertAsync(org, new ContactInput("c-1", "Irma Import", ["irma@import.example"]), Ct);
        await Contacts.UpsertAsync(org, new ContactInput("c-2", "Ben Other", ["ben@elsewhere.example", "ben.second@import.example"]), Ct);
        await Contacts.UpsertAsync(org, new ContactInput("c-3", "Carla", ["carla@x.example"]), Ct);
        await Contacts.UpsertAsync(org, new ContactInput("IMP-4", "Dora", ["dora@x.example"]), Ct);
        await Contacts.UpsertAsync(other, new ContactInput("c-9", "Irma Elsewhere", ["irma@import.example"]), Ct);

        static string[] Ids(IReadOnlyList<Contact> page) => [.. page.Select(c => c.ExternalId)];
        // By an address part (either of a contact's addresses), by the name whatever the case, by the id whatever the case.
        Assert.Equal(["c-1", "c-2"], Ids(await Contacts.SearchPageAsync(org, "import.example", null, 10, Ct)));
        Assert.Equal(["c-1"], Ids(await Contacts.SearchPageAsync(org, "IRMA", null, 10, Ct)));
        Assert.Equal(["IMP-4"], Ids(await Contacts.SearchPageAsync(org, "imp-", null, 10, Ct)));
        // A pattern character is a character, not a wildcard.
        Assert.Empty(await Contacts.SearchPageAsync(org, "c_1", null, 10, Ct));
        Assert.Empty(await Contacts.SearchPageAsync(org, "%", null, 10, Ct));
        // Keyset pages, in the list's order.
        var first = await Contacts.SearchPageAsync(org, "example", null, 2, Ct);
        var rest = await Contacts.SearchPageAsync(org, "example", first[^1].ExternalId, 10, Ct);
        Assert.Equal(Ids(await Contacts.ListPageAsync(org, null, 10, Ct)), Ids(first).Concat(Ids(rest)).ToArray());
    }

    [Fact]
    public async Task Messages_stored_after_the_contact_link_with_their_roles()
    {
        var (mailbox, inbox) = await NewMailboxAsync();
        var org = mailbox.OrganizationId;
        await Contacts.UpsertAsync(org, new ContactInput("a-1", "Ann", ["ann@example.org"]), Ct);
        await Contacts.UpsertAsync(org, new ContactInput("b-2", "Ben", ["ben@example.org"]), Ct);

        await Store.SaveMessagesAsync(inbox.Id,
        [
            AddressedMessages.Create(1, "1@x", "Ann <ann@example.org>", "alice@example.com", replyTo: "ann@example.org"),
            AddressedMessages.Create(2, "2@x", "alice@example.com", "ANN@Example.ORG", cc: "ben@example.org"),
            AddressedMessages.Create(3, "3@x", "alice@example.com", "carol@example.net"),
        ], Ct);

        var ann = await AllAsync(org, "a-1");
        Assert.Equal(["2@x", "1@x"], ann.Select(e => e.MessageIdHeader));
        Assert.Equal(ContactRoles.To, ann[0].Roles);
        Assert.Equal(ContactRoles.From | ContactRoles.ReplyTo, ann[1].Roles);
        var ben = Assert.Single(await AllAsync(org, "b-2"));
        Assert.Equal(ContactRoles.Cc, ben.Roles);
        Assert.Equal(mailbox.Id, Assert.Single(ben.Copies).MailboxId);
        Assert.NotNull(ben.ThreadId); // threading assigned one as the message was stored
    }

    [Fact]
    public async Task A_new_contact_is_backfilled_case_insensitively_and_idn_aware()
    {
        var (mailbox, inbox) = await NewMailboxAsync();
        var org = mailbox.OrganizationId;
        await Store.SaveMessagesAsync(inbox.Id,
        [
            AddressedMessages.Create(1, "1@x", "Jürgen <Juergen@Bücher.DE>", "alice@example.com"),
            AddressedMessages.Create(2, "2@x", "alice@example.com", "juergen@bücher.de"),
            AddressedMessages.Create(3, "3@x", "alice@example.com", "juergen@buecher.de"),
        ], Ct);

        var result = await Contacts.UpsertAsync(org, new ContactInput("j", "Jürgen", ["JUERGEN@xn--bcher-kva.de"]), Ct);

        Assert.True(result.Created);
        Assert.Equal(["juergen@bücher.de"], result.Contact.Addresses);
        Assert.Equal(new LinkChange(2, 0), result.Links);
        Assert.Equal(["2@x", "1@x"], (await AllAsync(org, "j")).Select(e => e.MessageIdHeader));
    }

    [Fact]
    public async Task Changing_addresses_backfills_and_unlinks()
    {
        var (mailbox, inbox) = await NewMailboxAsync();
        var org = mailbox.OrganizationId;
        await Store.SaveMessagesAsync(inbox.Id,
        [
            AddressedMessages.Create(1, "1@x", "old@example.org", "alice@example.com"),
            AddressedMessages.Create(2, "2@x", "new@example.org", "alice@example.com"),
            AddressedMessages.Create(3, "3@x", "alice@example.com", "old@example.org", cc: "new@example.org"),
        ], Ct);
        var created = await Contacts.UpsertAsync(org, new ContactInput("c", "Cleo", ["old@example.org"]), Ct);
        Assert.Equal(2, created.Links.Linked);

        var added = await Contacts.UpdateAsync(org, "c", null, ["New@Example.org"], [], Ct);
        Assert.Equal(["new@example.org"], added!.AddedAddresses);
        var all = await AllAsync(org, "c");
        Assert.Equal(3, all.Count);
        Assert.Equal(ContactRoles.To | ContactRoles.Cc, all.Single(e => e.MessageIdHeader == "3@x").Roles);

        var removed = await Contacts.UpdateAsync(org, "c", "Cleo B.", [], ["old@example.org"], Ct);
        Assert.Equal(new LinkChange(1, 1), removed!.Links); // message 1 unlinked; message 3 keeps Cc only
        Assert.Equal("Cleo B.", removed.Contact.Name);
        all = await AllAsync(org, "c");
        Assert.Equal(["2@x", "3@x"], all.Select(e => e.MessageIdHeader).Order());
        Assert.Equal(ContactRoles.Cc, all.Single(e => e.MessageIdHeader == "3@x").Roles);

        // Upsert replaces the addresses as a whole.
        var replaced = await Contacts.UpsertAsync(org, new ContactInput("c", "Cleo", ["old@example.org"]), Ct);
        Assert.False(replaced.Created);
        Assert.Equal(["1@x", "3@x"], (await AllAsync(org, "c")).Select(e => e.MessageIdHeader).Order());

        await Assert.ThrowsAsync<ArgumentException>(() => Contacts.UpdateAsync(org, "c", null, [], ["old@example.org"], Ct));
        Assert.Null(await Contacts.UpdateAsync(org, "nobody", null, ["x@example.org"], [], Ct));
    }

    [Fact]
    public async Task Removing_a_contact_removes_its_links()
    {
        var (mailbox, inbox) = await NewMailboxAsync();
        var org = mailbox.OrganizationId;
        await Store.SaveMessagesAsync(inbox.Id, [AddressedMessages.Create(1, "1@x", "gone@example.org", "alice@example.com")], Ct);
        var contact = (await Contacts.UpsertAsync(org, new ContactInput("g", "Gone", ["gone@example.org"]), Ct)).Contact;
        Assert.Equal(1, await LinkCountAsync(contact.Id));

        Assert.True(await Contacts.RemoveAsync(org, "g", Ct));

        Assert.Equal(0, await LinkCountAsync(contact.Id));
        Assert.Null(await Contacts.GetAsync(org, "g", Ct));
        Assert.Null(await Contacts.GetTimelineAsync(org, "g", 10, null, Ct));
        Assert.False(await Contacts.RemoveAsync(org, "g", Ct));
    }

    [Fact]
    public async Task The_same_email_in_two_mailboxes_is_one_timeline_entry_naming_both()
    {
        var (alice, aliceInbox) = await NewMailboxAsync();
        var org = alice.OrganizationId;
        var (bob, bobInbox) = await NewMailboxAsync(org, "bob@example.com");
        var (other, otherInbox) = await NewMailboxAsync(name: "eve@example.com"); // another organization
        var mail = (string trace) => AddressedMessages.Create(7, "shared@x", "recruit@example.org", "alice@example.com, bob@example.com", trace: trace);
        await Store.SaveMessagesAsync(aliceInbox.Id, [mail("mx1"), AddressedMessages.Create(8, "own@x", "recruit@example.org", "alice@example.com", date: TestMessages.Date.AddDays(-1))], Ct);
        await Store.SaveMessagesAsync(bobInbox.Id, [mail("mx2")], Ct);
        await Store.SaveMessagesAsync(otherInbox.Id, [mail("mx3")], Ct);

        await Contacts.UpsertAsync(org, new ContactInput("r", "Recruit", ["recruit@example.org"]), Ct);

        var all = await AllAsync(org, "r", pageSize: 1);
        Assert.Equal(["shared@x", "own@x"], all.Select(e => e.MessageIdHeader));
        Assert.Equal([alice.Id, bob.Id], all[0].Copies.Select(c => c.MailboxId).Order());
        Assert.Equal(["alice@example.com", "bob@example.com"], all[0].Copies.Select(c => c.MailboxName).Order());
        Assert.DoesNotContain(all.SelectMany(e => e.Copies), c => c.MailboxId == other.Id);
        Assert.Equal(3, (await Contacts.GetAsync(org, "r", Ct))!.MessageCount);
    }

    [Fact]
    public async Task Timeline_pages_follow_date_then_id_without_gaps_or_repeats()
    {
        var (mailbox, inbox) = await NewMailboxAsync();
        var org = mailbox.OrganizationId;
        // 25 messages, in groups of five with the same date, stored in two batches out of order.
        var batch = Enumerable.Range(0, 25)
            .Select(i => AddressedMessages.Create((uint)(i + 1), $"{i}@p", "page@example.org", "alice@example.com", date: TestMessages.Date.AddHours(i / 5)))
            .ToList();
        await Store.SaveMessagesAsync(inbox.Id, [.. batch.Skip(12)], Ct);
        await Store.SaveMessagesAsync(inbox.Id, [.. batch.Take(12)], Ct);
        await Contacts.UpsertAsync(org, new ContactInput("p", "Pager", ["page@example.org"]), Ct);

        var first = (await Contacts.GetTimelineAsync(org, "p", 10, null, Ct))!;
        Assert.Equal(10, first.Entries.Count);
        Assert.NotNull(first.NextCursor);

        var all = await AllAsync(org, "p", pageSize: 10);
        Assert.Equal(25, all.Count);
        Assert.Equal(25, all.Select(e => e.MessageId).Distinct().Count());
        var expected = all.OrderByDescending(e => e.Date).ThenByDescending(e => e.MessageId).Select(e => e.MessageId);
        Assert.Equal(expected, all.Select(e => e.MessageId));
        Assert.Equal(first.Entries.Select(e => e.MessageId), all.Take(10).Select(e => e.MessageId));
        Assert.Equal(TestMessages.Date.AddHours(4), all[0].Date);

        // A message arriving meanwhile does not shift the next page (keyset, not offset).
        Assert.True(TimelineCursor.TryParse(first.NextCursor, out var cursor));
        await Store.SaveMessagesAsync(inbox.Id, [AddressedMessages.Create(99, "late@p", "page@example.org", "alice@example.com", date: TestMessages.Date.AddDays(9))], Ct);
        var second = (await Contacts.GetTimelineAsync(org, "p", 10, cursor, Ct))!;
        Assert.Equal(all.Skip(10).Take(10).Select(e => e.MessageId), second.Entries.Select(e => e.MessageId));
    }

    [Fact]
    public async Task Provider_alias_rules_are_off_by_default_and_relink_when_turned_on()
    {
        var (mailbox, inbox) = await NewMailboxAsync();
        var org = mailbox.OrganizationId;
        await Store.SaveMessagesAsync(inbox.Id,
        [
            AddressedMessages.Create(1, "1@a", "j.doe+jobs@gmail.com", "alice@example.com"),
            AddressedMessages.Create(2, "2@a", "JDoe@googlemail.com", "alice@example.com"),
            AddressedMessages.Create(3, "3@a", "jdoe@gmail.com", "alice@example.com"),
        ], Ct);
        await Contacts.UpsertAsync(org, new ContactInput("d", "Doe", ["jdoe@gmail.com"]), Ct);
        Assert.False(await Contacts.GetAliasMatchingAsync(org, Ct));
        Assert.Equal(["3@a"], (await AllAsync(org, "d")).Select(e => e.MessageIdHeader));

        Assert.Equal(new LinkChange(2, 0), await Contacts.SetAliasMatchingAsync(org, true, Ct));
        Assert.Equal(["1@a", "2@a", "3@a"], (await AllAsync(org, "d")).Select(e => e.MessageIdHeader).Order());
        await Store.SaveMessagesAsync(inbox.Id, [AddressedMessages.Create(4, "4@a", "alice@example.com", "jd.oe+x@gmail.com")], Ct);
        Assert.Equal(4, (await AllAsync(org, "d")).Count);

        Assert.Equal(new LinkChange(0, 3), await Contacts.SetAliasMatchingAsync(org, false, Ct));
        Assert.Equal(["3@a"], (await AllAsync(org, "d")).Select(e => e.MessageIdHeader));
    }

    [Fact]
    public async Task Contacts_scope_stores_only_mail_with_a_contact_and_records_the_rest_as_skipped()
    {
        var (mailbox, inbox) = await NewMailboxAsync(scope: MailboxScope.Contacts);
        var org = mailbox.OrganizationId;
        await Contacts.UpsertAsync(org, new ContactInput("k", "Kept", ["kept@example.org"]), Ct);

        await Store.SaveMessagesAsync(inbox.Id,
        [
            AddressedMessages.Create(1, "1@s", "kept@example.org", "alice@example.com"),
            AddressedMessages.Create(2, "2@s", "stranger@example.net", "alice@example.com"),
            AddressedMessages.Create(3, "3@s", "alice@example.com", "other@example.net", cc: "KEPT@example.org"),
        ], Ct);

        var memberships = await Store.GetMembershipsAsync(inbox.Id, Ct);
        Assert.Equal([1u, 2u, 3u], memberships.Keys.Order());
        Assert.Equal(0, memberships[2].MessageId);
        Assert.Equal(2, (await database.Inspector.GetTotalsAsync(mailbox.Id, Ct)).Messages);
        var skipped = Assert.Single(await database.Services.GetRequiredService<ISkippedMessageStore>().GetSkippedAsync(mailbox.Id, Ct));
        Assert.Equal([2u], skipped.Uids);

        // A contact added later: the skipped UID is fetched again and now stored, replacing the skipped record.
        await Contacts.UpsertAsync(org, new ContactInput("s", "Stranger", ["stranger@example.net"]), Ct);
        await Store.SaveMessagesAsync(inbox.Id, [AddressedMessages.Create(2, "2@s", "stranger@example.net", "alice@example.com")], Ct);
        Assert.Empty(await database.Services.GetRequiredService<ISkippedMessageStore>().GetSkippedAsync(mailbox.Id, Ct));
        Assert.NotEqual(0, (await Store.GetMembershipsAsync(inbox.Id, Ct))[2].MessageId);
        Assert.Single(await AllAsync(org, "s"));

        // Removed on the server: the skipped record goes like a membership.
        await Store.SaveMessagesAsync(inbox.Id, [AddressedMessages.Create(5, "5@s", "nobody@example.net", "alice@example.com")], Ct);
        await Store.RemoveMembershipsAsync(inbox.Id, [5u], Ct);
        Assert.False((await Store.GetMembershipsAsync(inbox.Id, Ct)).ContainsKey(5));
    }

    [Fact]
    public async Task Scope_all_forgets_skipped_records_so_the_next_sync_fetches_them()
    {
        var (mailbox, inbox) = await NewMailboxAsync(scope: MailboxScope.Contacts);
        await Store.SaveMessagesAsync(inbox.Id, [AddressedMessages.Create(1, "1@f", "x@example.net", "alice@example.com")], Ct);
        Assert.Single(await Store.GetMembershipsAsync(inbox.Id, Ct));

        Assert.True(await database.Accounts.SetMailboxScopeAsync(mailbox.Id, MailboxScope.All, Ct));

        Assert.Empty(await Store.GetMembershipsAsync(inbox.Id, Ct));
        Assert.Equal(MailboxScope.All, (await database.Accounts.FindMailboxAsync(mailbox.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct))!.Settings.Scope);
    }

    [Fact]
    public async Task Unmatched_correspondents_are_counted_without_contacts_or_own_addresses()
    {
        var (mailbox, inbox) = await NewMailboxAsync();
        var org = mailbox.OrganizationId;
        await Contacts.UpsertAsync(org, new ContactInput("k", "Known", ["known@example.org"]), Ct);
        await Store.SaveMessagesAsync(inbox.Id,
        [
            AddressedMessages.Create(1, "1@c", "often@example.net", "alice@example.com", date: TestMessages.Date),
            AddressedMessages.Create(2, "2@c", "alice@example.com", "Often@Example.net", cc: "known@example.org", date: TestMessages.Date.AddDays(2)),
            AddressedMessages.Create(3, "3@c", "rare@example.net", "alice@example.com, known@example.org"),
        ], Ct);

        var candidates = await Contacts.GetUnmatchedCorrespondentsAsync(org, 10, Ct);

        Assert.Equal(["often@example.net", "rare@example.net"], candidates.Select(c => c.Address));
        Assert.Equal(2, candidates[0].Messages);
        Assert.Equal(TestMessages.Date.AddDays(2), candidates[0].LastSeen);
    }

    [Fact]
    public async Task A_mailbox_whose_login_is_no_address_leaves_its_own_address_out_of_candidates()
    {
        var org = await database.Accounts.EnsureOrganizationAsync("org-" + Guid.NewGuid().ToString("N"), Ct);
        var settings = new MailboxSettings { Host = "imap.example.com", Port = 993, UserName = "bench1" };
        var mailbox = await database.Accounts.AddMailboxAsync(org, "bench1", MailboxProtocol.Imap, settings, "ciphertext", Ct);
        var inbox = await database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox);
        await Store.SaveMessagesAsync(inbox.Id,
        [
            AddressedMessages.Create(1, "1@b", "often@example.net", "bench1@bench.test"),
            AddressedMessages.Create(2, "2@b", "Bench1@Bench.test", "often@example.net"),
            AddressedMessages.Create(3, "3@b", "rare@example.net", "bench1@bench.test"),
        ], Ct);
        // Without an address, the mailbox's own is just another correspondent: the most frequent one.
        Assert.Equal("bench1@bench.test", (await Contacts.GetUnmatchedCorrespondentsAsync(org, 10, Ct))[0].Address);

        await database.Accounts.SetMailboxAddressAsync(mailbox.Id, "bench1@bench.test", Ct);

        Assert.Equal(["often@example.net", "rare@example.net"], (await Contacts.GetUnmatchedCorrespondentsAsync(org, 10, Ct)).Select(c => c.Address));
    }

    [Fact]
    public async Task Invalid_contacts_are_refused()
    {
        var (mailbox, _) = await NewMailboxAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => Contacts.UpsertAsync(mailbox.OrganizationId, new ContactInput("x", "X", ["not-an-address"]), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Contacts.UpsertAsync(mailbox.OrganizationId, new ContactInput("", "X", ["x@example.org"]), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Contacts.UpsertAsync(mailbox.OrganizationId, new ContactInput("x", "X", []), Ct));
    }
}
