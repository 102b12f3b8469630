using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Storage.Queries;
using Mailroom.Storage.Tests.Infrastructure;

namespace Mailroom.Storage.Tests;

/// <summary><see cref="IAccountStore"/>'s promises, run against each provider by a subclass.</summary>
public abstract class AccountStoreContract<TDatabase>(TDatabase database)
    where TDatabase : TestDatabase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected TDatabase Database { get; } = database;

    private IAccountStore Accounts => Database.Accounts;

    [Fact]
    public async Task Ensure_organization_creates_it_once()
    {
        var name = "org-" + Guid.NewGuid().ToString("N");
        var id = await Accounts.EnsureOrganizationAsync(name, Ct);

        Assert.Equal(id, await Accounts.EnsureOrganizationAsync(name, Ct));
        Assert.NotEqual(id, await Accounts.EnsureOrganizationAsync(name + "-other", Ct));
    }

    [Fact]
    public async Task Added_mailbox_is_listed_found_and_keeps_its_settings_and_secret()
    {
        var org = await Accounts.EnsureOrganizationAsync("org-" + Guid.NewGuid().ToString("N"), Ct);
        var name = "recruiter-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        var settings = new MailboxSettings
        {
            Host = "mail.example.org",
            Port = 143,
            UserName = "recruiter",
            Security = TransportSecurity.StartTls,
            AllowPlaintext = true,
            TrustedCaFile = "/etc/mailroom/ca.pem",
        };

        var added = await Accounts.AddMailboxAsync(org, name, MailboxProtocol.Imap, settings, "protected-secret", Ct);

        var expected = new MailboxRecord(added.Id, org, name, MailboxProtocol.Imap, settings, MailboxState.New, TestDatabase.Start, null, null);
        Assert.Equal(expected, added);
        Assert.Contains(expected, await Accounts.ListMailboxesAsync(Ct));
        Assert.Equal(expected, await Accounts.FindMailboxAsync(name, Ct));
        Assert.Equal(expected, await Accounts.FindMailboxAsync(added.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct));
        Assert.Null(await Accounts.FindMailboxAsync("nobody-" + Guid.NewGuid(), Ct));
        Assert.Equal("protected-secret", await Accounts.GetProtectedSecretAsync(added.Id, Ct));
    }

    [Fact]
    public async Task A_mailbox_name_is_unique_within_its_organization_only()
    {
        var org = await Accounts.EnsureOrganizationAsync("org-" + Guid.NewGuid().ToString("N"), Ct);
        var other = await Accounts.EnsureOrganizationAsync("org-" + Guid.NewGuid().ToString("N"), Ct);
        var settings = new MailboxSettings { Host = "imap.example.com", Port = 993, UserName = "u" };
        await Accounts.AddMailboxAsync(org, "shared@example.com", MailboxProtocol.Imap, settings, "s", Ct);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Accounts.AddMailboxAsync(org, "shared@example.com", MailboxProtocol.Imap, settings, "s", Ct));
        Assert.Contains("shared@example.com", error.Message, StringComparison.Ordinal);
        var elsewhere = await Accounts.AddMailboxAsync(other, "shared@example.com", MailboxProtocol.Imap, settings, "s", Ct);
        Assert.Equal(other, elsewhere.OrganizationId);
    }

    [Fact]
    public async Task Mailbox_state_records_the_last_run()
    {
        var mailbox = await Database.NewMailboxAsync();
        var failedAt = TestDatabase.Start.AddMinutes(5);
        var syncedAt = TestDatabase.Start.AddMinutes(10);

        await Accounts.SetMailboxStateAsync(mailbox.Id, MailboxState.Ok, null, syncedAt, Ct);
        await Accounts.SetMailboxStateAsync(mailbox.Id, MailboxState.Error, "Authentication failed.", failedAt, Ct);

        var found = await Accounts.FindMailboxAsync(mailbox.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct);
        Assert.Equal((MailboxState.Error, "Authentication failed.", (DateTimeOffset?)syncedAt), (found!.State, found.LastError, found.LastSyncedAt));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Accounts.SetMailboxStateAsync(long.MaxValue, MailboxState.Ok, null, syncedAt, Ct));
    }

    [Fact]
    public async Task The_from_of_most_sent_messages_becomes_the_address_only_while_none_is_set()
    {
        var (mailbox, inbox, sent) = await LoginWithoutAddressAsync();
        // Received mail is no sign of whose mailbox it is, however much of it there is.
        await Database.Messages.SaveMessagesAsync(inbox.Id,
            [.. Enumerable.Range(1, 5).Select(i => AddressedMessages.Create((uint)i, $"in{i}@x", "other@example.net", "bench1@bench.test"))], Ct);
        Assert.Null(await Accounts.LearnAddressFromSentAsync(mailbox.Id, Ct));

        await Database.Messages.SaveMessagesAsync(sent.Id,
        [
            AddressedMessages.Create(1, "s1@x", "Bench1@Bench.test", "a@example.net"),
            AddressedMessages.Create(2, "s2@x", "bench1@bench.test", "b@example.net"),
            AddressedMessages.Create(3, "s3@x", "delegate@bench.test", "c@example.net"),
        ], Ct);

        Assert.Equal("bench1@bench.test", await Accounts.LearnAddressFromSentAsync(mailbox.Id, Ct));
        Assert.Equal("bench1@bench.test", (await FindAsync(mailbox.Id))!.Settings.Address);

        // A person's choice stays: nothing is learned over it.
        Assert.True(await Accounts.SetMailboxAddressAsync(mailbox.Id, "me@bench.test", Ct));
        Assert.Null(await Accounts.LearnAddressFromSentAsync(mailbox.Id, Ct));
        Assert.Equal("me@bench.test", (await FindAsync(mailbox.Id))!.Settings.Address);
        Assert.False(await Accounts.SetMailboxAddressAsync(long.MaxValue, "x@bench.test", Ct));
    }

    [Fact]
    public async Task No_address_is_learned_when_no_from_has_a_majority_of_sent()
    {
        var (mailbox, _, sent) = await LoginWithoutAddressAsync();
        await Database.Messages.SaveMessagesAsync(sent.Id,
        [
            AddressedMessages.Create(1, "h1@x", "one@bench.test", "a@example.net"),
            AddressedMessages.Create(2, "h2@x", "two@bench.test", "b@example.net"),
        ], Ct);

        Assert.Null(await Accounts.LearnAddressFromSentAsync(mailbox.Id, Ct));
        Assert.Null((await FindAsync(mailbox.Id))!.Settings.Address);
    }

    private async Task<(MailboxRecord Mailbox, StoredFolder Inbox, StoredFolder Sent)> LoginWithoutAddressAsync()
    {
        var org = await Accounts.EnsureOrganizationAsync("org-" + Guid.NewGuid().ToString("N"), Ct);
        var settings = new MailboxSettings { Host = "imap.bench.test", Port = 993, UserName = "bench1" };
        var mailbox = await Accounts.AddMailboxAsync(org, "bench1", MailboxProtocol.Imap, settings, "s", Ct);
        Assert.Null(mailbox.Settings.Address);
        return (mailbox, await Database.NewFolderAsync(mailbox.Id, "INBOX", FolderRole.Inbox), await Database.NewFolderAsync(mailbox.Id, "Sent", FolderRole.Sent));
    }

    private Task<MailboxRecord?> FindAsync(long id) => Accounts.FindMailboxAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct);

    [Fact]
    public async Task Protocol_and_state_are_read_back_as_stored_and_removed_is_never_stored()
    {
        var org = await Accounts.EnsureOrganizationAsync("org-" + Guid.NewGuid().ToString("N"), Ct);
        var settings = new MailboxSettings { Host = "pop.example.com", Port = 995, UserName = "u" };
        var pop3 = await Accounts.AddMailboxAsync(org, "pop", MailboxProtocol.Pop3, settings, "s", Ct);
        var archive = await Accounts.AddMailboxAsync(org, "archive", MailboxProtocol.Archive, settings with { Host = "", Port = 0 }, "", Ct);
        await Accounts.SetMailboxStateAsync(pop3.Id, MailboxState.Partial, "INBOX: gone", TestDatabase.Start, Ct);
        await Accounts.SetMailboxStateAsync(archive.Id, MailboxState.NeedsReauth, "revoked", TestDatabase.Start, Ct);

        var found = (await Accounts.ListMailboxesAsync(Ct)).Where(m => m.OrganizationId == org).OrderBy(m => m.Id).ToList();
        Assert.Equal([(MailboxProtocol.Pop3, MailboxState.Partial), (MailboxProtocol.Archive, MailboxState.NeedsReauth)],
            found.Select(m => (m.Protocol, m.State)));
        await Assert.ThrowsAsync<ArgumentException>(() => Accounts.SetMailboxStateAsync(pop3.Id, MailboxState.Removed, null, TestDatabase.Start, Ct));
    }

    [Fact]
    public async Task Removing_a_mailbox_removes_everything_synced_from_it_and_only_that()
    {
        var doomed = await Database.NewMailboxAsync();
        var kept = await Database.NewMailboxAsync();
        var doomedInbox = await Database.NewFolderAsync(doomed.Id, "INBOX");
        var doomedSent = await Database.NewFolderAsync(doomed.Id, "Sent");
        var keptInbox = await Database.NewFolderAsync(kept.Id, "INBOX");
        var shared = TestMessages.Create(1, $"{Guid.NewGuid()}@example.com");
        var own = Enumerable.Range(2, 3).Select(i => TestMessages.Create((uint)i, $"{Guid.NewGuid()}@example.com",
            attachments: [new Core.Messages.AttachmentInfo("cv.pdf", "application/pdf", 1234, null, false, "2")])).ToList();
        await Database.Messages.SaveMessagesAsync(doomedInbox.Id, [shared, .. own], Ct);
        await Database.Messages.SaveMessagesAsync(doomedSent.Id, [shared.InFolder(9)], Ct);
        await Database.Messages.SaveMessagesAsync(keptInbox.Id, [shared], Ct);
        var keptBefore = await Database.Inspector.GetTotalsAsync(kept.Id, Ct);
        var before = await Database.Inspector.GetTotalsAsync(Ct);

        Assert.True(await Accounts.RemoveMailboxAsync(doomed.Id, Ct));

        Assert.Null(await Accounts.FindMailboxAsync(doomed.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct));
        Assert.Empty(await Database.Messages.ListFoldersAsync(doomed.Id, Ct));
        Assert.Empty(await Database.Messages.GetMembershipsAsync(doomedInbox.Id, Ct));
        Assert.Equal(new StoreTotals(0, 0, 0, 0, 0, 0), await Database.Inspector.GetTotalsAsync(doomed.Id, Ct));
        var after = await Database.Inspector.GetTotalsAsync(Ct);
        // Four messages (eight addresses, three attachments), five memberships, and the three raw copies only it had.
        Assert.Equal(new StoreTotals(4, 5, 3, own.Sum(m => (long)m.Fetched.Raw.Length), 8, 3), Subtract(before, after));
        Assert.Equal(keptBefore, await Database.Inspector.GetTotalsAsync(kept.Id, Ct));
        Assert.NotNull(await Database.Messages.GetRawAsync(shared.RawSha256, Ct));
        Assert.Null(await Database.Messages.GetRawAsync(own[0].RawSha256, Ct));
        Assert.False(await Accounts.RemoveMailboxAsync(doomed.Id, Ct));
    }

    private static StoreTotals Subtract(StoreTotals a, StoreTotals b) => new(
        a.Messages - b.Messages, a.Memberships - b.Memberships, a.RawMime - b.RawMime, a.RawBytes - b.RawBytes,
        a.Addresses - b.Addresses, a.Attachments - b.Attachments);
}
