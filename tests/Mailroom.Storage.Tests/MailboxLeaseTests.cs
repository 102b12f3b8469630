using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Storage.Cluster;
using Mailroom.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Storage.Tests;

/// <summary>
/// Cluster mode's mailbox leases on PostgreSQL (the only database cluster mode runs on): one holder at a time, take-over
/// after expiry or after the holder's node was declared dead, and the fencing token checked inside every write
/// transaction, so a stale holder's write is refused even when it still thinks it owns the mailbox.
/// </summary>
public sealed class MailboxLeaseTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MailboxLeaseStore Leases => database.Services.GetRequiredService<MailboxLeaseStore>();

    [Fact]
    public async Task A_second_node_stands_down_while_the_lease_is_held_and_takes_it_once_it_expired()
    {
        var mailbox = await database.NewMailboxAsync();
        var first = await Leases.TryAcquireAsync(mailbox.Id, "node-a@1", TimeSpan.FromSeconds(1), [], Ct);
        Assert.NotNull(first);
        Assert.Null(await Leases.TryAcquireAsync(mailbox.Id, "node-b@1", Long, [], Ct));

        await Task.Delay(TimeSpan.FromMilliseconds(1500), Ct);
        var second = await Leases.TryAcquireAsync(mailbox.Id, "node-b@1", Long, [], Ct);
        Assert.Equal(first + 1, second);
        // The old holder's renewal no longer finds its lease: it must stop.
        Assert.DoesNotContain(mailbox.Id, await Leases.RenewAsync("node-a@1", [(mailbox.Id, first!.Value)], Long, Ct));
        Assert.Contains(mailbox.Id, await Leases.RenewAsync("node-b@1", [(mailbox.Id, second!.Value)], Long, Ct));
        // Nor does the new holder renew under an older token (a worker of its own that was replaced).
        Assert.DoesNotContain(mailbox.Id, await Leases.RenewAsync("node-b@1", [(mailbox.Id, first.Value)], Long, Ct));
    }

    [Fact]
    public async Task A_dead_nodes_lease_is_taken_before_it_expires_and_a_released_one_at_once()
    {
        var mailbox = await database.NewMailboxAsync();
        var first = await Leases.TryAcquireAsync(mailbox.Id, "node-a@1", Long, [], Ct);
        var taken = await Leases.TryAcquireAsync(mailbox.Id, "node-b@1", Long, ["node-a@1"], Ct);
        Assert.Equal(first + 1, taken);

        await Leases.ReleaseAsync(mailbox.Id, taken!.Value, Ct);
        Assert.DoesNotContain(mailbox.Id, (await Leases.ListLiveAsync(Ct)).Select(l => l.MailboxId));
        Assert.Equal(taken + 1, await Leases.TryAcquireAsync(mailbox.Id, "node-c@1", Long, [], Ct));
        // A release with an old token changes nothing.
        await Leases.ReleaseAsync(mailbox.Id, taken.Value, Ct);
        Assert.Equal("node-c@1", Assert.Single(await Leases.ListLiveAsync(Ct), l => l.MailboxId == mailbox.Id).Owner);
    }

    [Fact]
    public async Task A_write_under_a_lease_that_moved_is_refused_and_the_holder_told()
    {
        var mailbox = await database.NewMailboxAsync();
        var token = (await Leases.TryAcquireAsync(mailbox.Id, "node-a@1", Long, [], Ct))!.Value;
        var lost = 0;
        var lease = new MailboxLease(mailbox.Id, token, () => lost++);

        // Under the lease: writes go through.
        await MailboxFence.RunAsync(lease, () => database.Messages.UpsertFolderAsync(
            mailbox.Id, new RemoteFolder("INBOX", '/', Core.Sync.FolderRole.Inbox, CanSelect: true), Ct));

        // Another node takes over (this one was declared dead, or its renewals stopped): the next write is refused.
        await Leases.TryAcquireAsync(mailbox.Id, "node-b@1", Long, ["node-a@1"], Ct);
        await Assert.ThrowsAsync<MailboxFencedException>(() => MailboxFence.RunAsync(lease, () => database.Messages.UpsertFolderAsync(
            mailbox.Id, new RemoteFolder("Archive", '/', Core.Sync.FolderRole.Archive, CanSelect: true), Ct)));
        Assert.Equal(1, lost);
        Assert.True(lease.IsLost);
        Assert.DoesNotContain("Archive", (await database.Messages.ListFoldersAsync(mailbox.Id, Ct)).Select(f => f.Path));
        // Outside any lease (single-node mode, the API) nothing is checked.
        await database.Messages.UpsertFolderAsync(mailbox.Id, new RemoteFolder("Sent", '/', Core.Sync.FolderRole.Sent, CanSelect: true), Ct);
    }

    [Fact]
    public async Task Reconcile_lists_unowned_mailboxes_to_start_and_leases_of_paused_ones_to_stop()
    {
        var running = await database.NewMailboxAsync();
        var unowned = await database.NewMailboxAsync();
        var paused = await database.NewMailboxAsync();
        var refused = await database.NewMailboxAsync();
        await Leases.TryAcquireAsync(running.Id, "node-a@1", Long, [], Ct);
        await database.Accounts.SetMailboxStateAsync(running.Id, MailboxState.Ok, null, DateTimeOffset.UtcNow, Ct);
        await Leases.TryAcquireAsync(paused.Id, "node-a@1", Long, [], Ct);
        await database.Accounts.SetMailboxPausedAsync(paused.Id, true, Ct);
        await database.Accounts.SetMailboxStateAsync(refused.Id, MailboxState.AuthFailed, "refused", DateTimeOffset.UtcNow, Ct);

        var (start, stop) = await Leases.ListToReconcileAsync(Ct);
        Assert.Contains(unowned.Id, start);
        Assert.DoesNotContain(running.Id, start);
        Assert.DoesNotContain(refused.Id, start); // waits for a person
        Assert.Contains(paused.Id, stop);
        Assert.DoesNotContain(running.Id, stop);

        // Authorized again while its (stopped) worker's activation still holds the lease: started again.
        await database.Accounts.SetMailboxStateAsync(running.Id, MailboxState.New, null, DateTimeOffset.UtcNow, Ct);
        Assert.Contains(running.Id, (await Leases.ListToReconcileAsync(Ct)).Start);
    }

    [Fact]
    public async Task A_take_over_waits_for_a_write_in_flight_under_the_old_token()
    {
        var mailbox = await database.NewMailboxAsync();
        var token = (await Leases.TryAcquireAsync(mailbox.Id, "node-a@1", Long, [], Ct))!.Value;
        var lease = new MailboxLease(mailbox.Id, token, () => { });
        var inside = new TaskCompletionSource();
        var proceed = new TaskCompletionSource();
        var contexts = database.Services.GetRequiredService<Model.MailroomContextFactory>();
        var write = MailboxFence.RunAsync(lease, async () =>
        {
            await using var transaction = await Sql.StoreTransaction.BeginAsync(contexts, Ct);
            inside.SetResult();
            await proceed.Task;
            await transaction.CommitAsync(Ct);
        });
        await inside.Task;

        var takeOver = Leases.TryAcquireAsync(mailbox.Id, "node-b@1", Long, ["node-a@1"], Ct);
        await Task.Delay(500, Ct);
        Assert.False(takeOver.IsCompleted, "the take-over did not wait for the write that holds the lease row");
        proceed.SetResult();
        await write;
        Assert.Equal(token + 1, await takeOver);
    }

    [Fact]
    public async Task Renewals_do_not_wait_for_writes_in_flight()
    {
        var mailbox = await database.NewMailboxAsync();
        var token = (await Leases.TryAcquireAsync(mailbox.Id, "node-r@1", Long, [], Ct))!.Value;
        var contexts = database.Services.GetRequiredService<Model.MailroomContextFactory>();
        var inside = new TaskCompletionSource();
        var proceed = new TaskCompletionSource();
        var write = MailboxFence.RunAsync(new MailboxLease(mailbox.Id, token, () => { }), async () =>
        {
            await using var transaction = await Sql.StoreTransaction.BeginAsync(contexts, Ct);
            inside.SetResult();
            await proceed.Task;
            await transaction.CommitAsync(Ct);
        });
        await inside.Task;
        // One renewal of every lease of the node, while a write holds its fence lock: it must not queue behind it
        // (under load it did, and the writes queued behind the renewal until the connection pool ran dry).
        var renewed = await Leases.RenewAsync("node-r@1", [(mailbox.Id, token)], Long, Ct).WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.Contains(mailbox.Id, renewed);
        proceed.SetResult();
        await write;
    }
}
