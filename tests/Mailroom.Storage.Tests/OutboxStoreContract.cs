using System.Text;
using Mailroom.Core.Accounts;
using Mailroom.Core.Sending;
using Mailroom.Core.Storage;
using Mailroom.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Storage.Tests;

/// <summary><see cref="IOutboxStore"/>'s promises (idempotency, exclusive leases, claim-guarded changes), per provider.</summary>
public abstract class OutboxStoreContract<TDatabase>(TDatabase database)
    where TDatabase : TestDatabase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IOutboxStore Outbox => database.Services.GetRequiredService<IOutboxStore>();

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task The_same_idempotency_key_queues_one_message()
    {
        var mailbox = await NewMailboxAsync();
        var (first, created) = await Outbox.EnqueueAsync(mailbox, "key-1", Message("a"), Ct);
        var (second, createdAgain) = await Outbox.EnqueueAsync(mailbox, "key-1", Message("b"), Ct);
        var (other, _) = await Outbox.EnqueueAsync(mailbox, "key-2", Message("c"), Ct);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal("a@example.com", second.MessageId);
        Assert.NotEqual(first.Id, other.Id);
        Assert.Equal(OutboxState.Queued, first.State);
        Assert.Equal(Encoding.ASCII.GetBytes("raw a"), await Outbox.GetRawAsync(first.Id, Ct));
    }

    [Fact]
    public async Task A_claimed_row_is_not_claimed_again_until_its_lease_ends()
    {
        var mailbox = await NewMailboxAsync();
        var (item, _) = await Outbox.EnqueueAsync(mailbox, "k", Message("lease"), Ct);
        var now = database.Time.GetUtcNow();

        var first = await Outbox.ClaimAsync(now, Lease, 10, mailbox, Ct);
        var second = await Outbox.ClaimAsync(now, Lease, 10, mailbox, Ct);
        Assert.Equal([item.Id], first.Select(c => c.Item.Id));
        Assert.Empty(second);

        // The holder dies while sending; after the lease another sender takes the row over, and the first can change nothing.
        Assert.Single(await Outbox.MarkSendingAsync(first, Ct));
        Assert.Empty(await Outbox.ClaimAsync(now + Lease - TimeSpan.FromSeconds(1), Lease, 10, mailbox, Ct));
        var takeover = await Outbox.ClaimAsync(now + Lease + TimeSpan.FromSeconds(1), Lease, 10, mailbox, Ct);
        Assert.Equal([item.Id], takeover.Select(c => c.Item.Id));
        Assert.Equal(OutboxState.Sending, takeover[0].Item.State);
        Assert.Equal(1, takeover[0].Item.Attempts);
        Assert.Equal(0, await Outbox.RecordAsync([SendResult.Sent(first[0], "250 old", now)], Ct));

        Assert.Single(await Outbox.MarkSendingAsync(takeover, Ct));
        Assert.Equal(1, await Outbox.RecordAsync([SendResult.Sent(takeover[0], "250 2.0.0 Ok: queued", now)], Ct));
        var sent = (await Outbox.GetAsync(item.Id, Ct))!;
        Assert.Equal(OutboxState.Sent, sent.State);
        Assert.Equal(2, sent.Attempts);
        Assert.Equal("250 2.0.0 Ok: queued", sent.LastReply);
        Assert.Empty(await Outbox.ClaimAsync(now + TimeSpan.FromDays(1), Lease, 10, mailbox, Ct));
    }

    [Fact]
    public async Task Marking_a_claim_sending_skips_lost_rows_and_release_undoes_an_unattempted_mark()
    {
        var mailbox = await NewMailboxAsync();
        var (a, _) = await Outbox.EnqueueAsync(mailbox, "a", Message("a"), Ct);
        var (b, _) = await Outbox.EnqueueAsync(mailbox, "b", Message("b"), Ct);
        var now = database.Time.GetUtcNow();
        var stale = await Outbox.ClaimAsync(now, Lease, 10, mailbox, Ct);
        // The first claim's lease runs out and another sender takes both rows: marking the stale claim changes nothing.
        var fresh = await Outbox.ClaimAsync(now + Lease + TimeSpan.FromSeconds(1), Lease, 10, mailbox, Ct);
        Assert.Empty(await Outbox.MarkSendingAsync(stale, Ct));

        var marked = await Outbox.MarkSendingAsync(fresh, Ct);
        Assert.Equal([a.Id, b.Id], marked.Select(c => c.Item.Id));
        Assert.Equal(OutboxState.Sending, (await Outbox.GetAsync(b.Id, Ct))!.State);

        // Stopped before b was submitted: b is queued again with no attempt counted, and due at once.
        await Outbox.ReleaseAsync(marked[1], Ct);
        var released = (await Outbox.GetAsync(b.Id, Ct))!;
        Assert.Equal((OutboxState.Queued, 0), (released.State, released.Attempts));
        Assert.Equal([b.Id], (await Outbox.ClaimAsync(now + Lease + TimeSpan.FromSeconds(2), Lease, 10, mailbox, Ct)).Select(c => c.Item.Id));
    }

    [Fact]
    public async Task Concurrent_claims_never_share_a_row()
    {
        var mailbox = await NewMailboxAsync();
        for (var i = 0; i < 40; i++)
            await Outbox.EnqueueAsync(mailbox, "k" + i, Message("c" + i), Ct);
        var now = database.Time.GetUtcNow();

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Outbox.ClaimAsync(now, Lease, 10, mailbox, Ct), Ct)));

        var ids = claims.SelectMany(c => c).Select(c => c.Item.Id).ToList();
        Assert.Equal(40, ids.Count);
        Assert.Equal(40, ids.Distinct().Count());
    }

    [Fact]
    public async Task A_retrying_row_is_due_at_its_time_and_a_failed_one_never()
    {
        var mailbox = await NewMailboxAsync();
        var (retry, _) = await Outbox.EnqueueAsync(mailbox, "r", Message("r"), Ct);
        var (fail, _) = await Outbox.EnqueueAsync(mailbox, "f", Message("f"), Ct);
        var now = database.Time.GetUtcNow();
        var claims = await Outbox.ClaimAsync(now, Lease, 10, mailbox, Ct);
        Assert.Equal(2, (await Outbox.MarkSendingAsync(claims, Ct)).Count);

        Assert.Equal(1, await Outbox.RecordAsync([SendResult.Retrying(claims.Single(c => c.Item.Id == retry.Id), 451, "451 4.7.1 later", now, now + TimeSpan.FromMinutes(5))], Ct));
        Assert.Equal(1, await Outbox.RecordAsync([SendResult.Failed(claims.Single(c => c.Item.Id == fail.Id), 554, "554 5.7.1 refused", now)], Ct));

        Assert.Empty(await Outbox.ClaimAsync(now + TimeSpan.FromMinutes(4), Lease, 10, mailbox, Ct));
        var again = await Outbox.ClaimAsync(now + TimeSpan.FromMinutes(6), Lease, 10, mailbox, Ct);
        Assert.Equal([retry.Id], again.Select(c => c.Item.Id));
        Assert.Equal(OutboxState.Retrying, again[0].Item.State);
        Assert.Equal(451, again[0].Item.LastCode);
        var failed = (await Outbox.GetAsync(fail.Id, Ct))!;
        Assert.Equal((OutboxState.Failed, 554, "554 5.7.1 refused"), (failed.State, failed.LastCode, failed.LastReply));
    }

    [Fact]
    public async Task Sent_rows_wait_for_their_copy_until_it_is_recorded()
    {
        var mailbox = await NewMailboxAsync();
        var (item, _) = await Outbox.EnqueueAsync(mailbox, "s", Message("s"), Ct);
        var now = database.Time.GetUtcNow();
        var claim = (await Outbox.ClaimAsync(now, Lease, 10, mailbox, Ct)).Single();
        Assert.Empty(await Outbox.ListPendingSentCopiesAsync(mailbox, 10, Ct));
        await Outbox.MarkSendingAsync([claim], Ct);
        await Outbox.RecordAsync([SendResult.Sent(claim, "250 ok", now)], Ct);

        Assert.Equal([item.Id], (await Outbox.ListPendingSentCopiesAsync(mailbox, 10, Ct)).Select(p => p.Item.Id));
        Assert.Contains(mailbox, await Outbox.MailboxesWithPendingSentCopiesAsync(Ct));
        await Outbox.SetSentCopiesAsync([item.Id], SentCopyState.Appended, Ct);
        Assert.Empty(await Outbox.ListPendingSentCopiesAsync(mailbox, 10, Ct));
        Assert.DoesNotContain(mailbox, await Outbox.MailboxesWithPendingSentCopiesAsync(Ct));
    }

    [Fact]
    public async Task One_group_records_every_outcome_and_skips_a_row_no_longer_held()
    {
        var mailbox = await NewMailboxAsync();
        var ids = new List<long>();
        foreach (var key in new[] { "sent", "retry", "fail", "lost" })
            ids.Add((await Outbox.EnqueueAsync(mailbox, key, Message(key), Ct)).Item.Id);
        var now = database.Time.GetUtcNow();
        var claims = await Outbox.MarkSendingAsync(await Outbox.ClaimAsync(now, Lease, 10, mailbox, Ct), Ct);
        // The last row's lease runs out (the others' were renewed) and another sender takes it over before this group is written.
        Assert.Equal(3, await Outbox.RenewAsync(claims.Take(3).ToList(), now + Lease * 3, Ct));
        var takeover = await Outbox.ClaimAsync(now + Lease + TimeSpan.FromSeconds(1), Lease, 10, mailbox, Ct);
        Assert.Equal([ids[3]], takeover.Select(c => c.Item.Id));

        var recorded = await Outbox.RecordAsync(
            [SendResult.Sent(claims[0], "250 2.0.0 Ok: queued as A1", now),
             SendResult.Retrying(claims[1], 451, "451 4.3.0 later", now, now + TimeSpan.FromMinutes(3)),
             SendResult.Failed(claims[2], 550, "550 5.1.1 no such user", now),
             SendResult.Sent(claims[3], "250 2.0.0 Ok: queued as A4", now)], Ct);

        Assert.Equal(3, recorded);
        var rows = new List<OutboxItem>();
        foreach (var id in ids)
            rows.Add((await Outbox.GetAsync(id, Ct))!);
        Assert.Equal(
            [(OutboxState.Sent, 250, "250 2.0.0 Ok: queued as A1"), (OutboxState.Retrying, 451, "451 4.3.0 later"),
             (OutboxState.Failed, 550, "550 5.1.1 no such user"), (OutboxState.Sending, (int?)null, (string?)null)],
            rows.Select(r => (r.State, r.LastCode, r.LastReply)));
        Assert.Equal(now + TimeSpan.FromMinutes(3), rows[1].NextAttemptAt);
        Assert.Equal(now, rows[0].SentAt);
    }

    [Fact]
    public async Task A_copy_being_appended_is_still_to_be_filed()
    {
        var mailbox = await NewMailboxAsync();
        var (item, _) = await Outbox.EnqueueAsync(mailbox, "a", Message("a"), Ct);
        var now = database.Time.GetUtcNow();
        var claim = (await Outbox.MarkSendingAsync(await Outbox.ClaimAsync(now, Lease, 10, mailbox, Ct), Ct)).Single();
        await Outbox.RecordAsync([SendResult.Sent(claim, "250 ok", now)], Ct);

        await Outbox.SetSentCopiesAsync([item.Id], SentCopyState.Appending, Ct);

        var pending = Assert.Single(await Outbox.ListPendingSentCopiesAsync(mailbox, 10, Ct));
        Assert.Equal((item.Id, SentCopyState.Appending), (pending.Item.Id, pending.Item.SentCopy));
        Assert.Contains(mailbox, await Outbox.MailboxesWithPendingSentCopiesAsync(Ct));
    }

    [Fact]
    public async Task Smtp_settings_and_sent_filing_are_kept_per_mailbox()
    {
        var accounts = database.Accounts;
        var mailbox = await NewMailboxAsync();
        var smtp = new SmtpSettings { Host = "smtp.example.org", Port = 587, Security = TransportSecurity.StartTls, UserName = "sender" };
        await accounts.SetSmtpAsync(mailbox, smtp, Ct);
        await accounts.SetSentFilingAsync(mailbox, SentFiling.Client, Ct);

        var found = (await accounts.FindMailboxAsync(mailbox.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct))!;
        Assert.Equal(smtp, found.Smtp);
        Assert.Equal(SentFiling.Client, found.SentFiling);
    }

    private async Task<long> NewMailboxAsync()
    {
        var accounts = database.Accounts;
        var org = await accounts.EnsureOrganizationAsync("org-" + Guid.NewGuid().ToString("N"), Ct);
        var settings = new MailboxSettings { Host = "imap.example.org", Port = 993, UserName = "u" };
        return (await accounts.AddMailboxAsync(org, "m-" + Guid.NewGuid().ToString("N"), MailboxProtocol.Imap, settings, "s", Ct)).Id;
    }

    private static ComposedMessage Message(string tag) =>
        new(tag + "@example.com", Encoding.ASCII.GetBytes("raw " + tag), "from@example.com", ["to@example.com"], "subject " + tag, false);
}
