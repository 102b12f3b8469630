using Mailroom.Storage.Sql;

namespace Mailroom.Storage.Cluster;

/// <summary>
/// Per-mailbox leases with fencing tokens, on PostgreSQL (cluster mode only). Times are the database's own clock, so
/// the nodes' clocks need not agree. A lease is taken when it is free, expired, already this node's, or held by a node
/// the cluster has declared dead; each take raises the token. One statement renews all of a node's leases.
/// </summary>
public sealed class MailboxLeaseStore
{
    private readonly MailroomContextFactory _contexts;

    internal MailboxLeaseStore(MailroomContextFactory contexts)
    {
        if (contexts.Options.Provider != StorageProvider.Postgres)
            throw new InvalidOperationException("Mailbox leases (cluster mode) need PostgreSQL.");
        _contexts = contexts;
    }

    /// <returns>The new fencing token, or null when another live node holds the lease.</returns>
    public async Task<long?> TryAcquireAsync(
        long mailboxId, string owner, TimeSpan duration, IReadOnlyCollection<string> deadOwners, CancellationToken cancellationToken)
    {
        const string Take = """
            INSERT INTO mailbox_leases (mailbox_id, owner, token, expires_at)
            VALUES (@p0, @p1, 1, now() + make_interval(secs => @p2))
            ON CONFLICT (mailbox_id) DO UPDATE
            SET owner = excluded.owner, token = mailbox_leases.token + 1, expires_at = excluded.expires_at
            WHERE mailbox_leases.expires_at < now() OR mailbox_leases.owner = excluded.owner
               OR mailbox_leases.owner = ANY(@p3)
            RETURNING token
            """;
        return await WithSqlAsync(sql => sql.ScalarAsync(Take, [mailboxId, owner, duration.TotalSeconds, deadOwners.ToArray()], cancellationToken))
            is long token ? token : null;
    }

    /// <summary>
    /// Extends the leases <paramref name="owner"/> runs workers under, in one statement. Only those: a lease row of
    /// this owner that no worker of it holds any more is left to expire, so that another activation takes it.
    /// </summary>
    /// <returns>The mailbox ids whose lease was extended; a held lease missing here is lost.</returns>
    public async Task<IReadOnlySet<long>> RenewAsync(
        string owner, IReadOnlyCollection<(long MailboxId, long Token)> held, TimeSpan duration, CancellationToken cancellationToken)
    {
        const string Renew = """
            UPDATE mailbox_leases l SET expires_at = now() + make_interval(secs => @p1)
            FROM unnest(@p2::bigint[], @p3::bigint[]) AS h(mailbox_id, token)
            WHERE l.mailbox_id = h.mailbox_id AND l.token = h.token AND l.owner = @p0 AND l.expires_at >= now()
            RETURNING l.mailbox_id
            """;
        var renewed = new HashSet<long>();
        if (held.Count == 0)
            return renewed;
        await WithSqlAsync(sql => sql.QueryAsync(
            Renew, [owner, duration.TotalSeconds, held.Select(h => h.MailboxId).ToArray(), held.Select(h => h.Token).ToArray()],
            r => renewed.Add(r.GetInt64(0)), cancellationToken));
        return renewed;
    }

    /// <summary>Gives the lease up at once (the token stays, so that no older holder can come back).</summary>
    public Task ReleaseAsync(long mailboxId, long token, CancellationToken cancellationToken) =>
        WithSqlAsync(sql => sql.ScalarAsync(
            "UPDATE mailbox_leases SET expires_at = now() - interval '1 second' WHERE mailbox_id = @p0 AND token = @p1",
            [mailboxId, token], cancellationToken));

    /// <summary>The leases that have not expired: who runs which mailbox now.</summary>
    public async Task<IReadOnlyList<LeaseHolder>> ListLiveAsync(CancellationToken cancellationToken)
    {
        var live = new List<LeaseHolder>();
        await WithSqlAsync(sql => sql.QueryAsync(
            "SELECT mailbox_id, owner, token FROM mailbox_leases WHERE expires_at >= now()", [],
            r => live.Add(new LeaseHolder(r.GetInt64(0), r.GetString(1), r.GetInt64(2))), cancellationToken));
        return live;
    }

    /// <summary>
    /// What a reconcile must act on, in one query whose result is empty when all is in order (a node looks every few
    /// seconds; listing every mailbox each time cost an idle node of 1,000 mailboxes 4 % of a core):
    /// <list type="bullet">
    /// <item>start: mailboxes that should run (not paused, with a server, not waiting for a person) and have no live
    /// lease; and leased ones whose state is "new" again (authorized again after their worker stopped for a person);</item>
    /// <item>stop: live leases of mailboxes that are paused, removed or archives.</item>
    /// </list>
    /// </summary>
    public async Task<(IReadOnlyList<long> Start, IReadOnlyList<long> Stop)> ListToReconcileAsync(CancellationToken cancellationToken)
    {
        const string Query = """
            SELECT m.id, true FROM mailboxes m
            WHERE NOT m.paused AND m.protocol <> @p0 AND m.state <> ALL(@p1)
              AND NOT EXISTS (SELECT 1 FROM mailbox_leases l WHERE l.mailbox_id = m.id AND l.expires_at >= now())
            UNION ALL
            SELECT m.id, true FROM mailboxes m JOIN mailbox_leases l ON l.mailbox_id = m.id AND l.expires_at >= now()
            WHERE NOT m.paused AND m.state = @p2
            UNION ALL
            SELECT l.mailbox_id, false FROM mailbox_leases l LEFT JOIN mailboxes m ON m.id = l.mailbox_id
            WHERE l.expires_at >= now() AND (m.id IS NULL OR m.paused OR m.protocol = @p0)
            """;
        var start = new List<long>();
        var stop = new List<long>();
        string[] needsPerson = [Model.MailboxText.ToText(Core.Accounts.MailboxState.AuthFailed), Model.MailboxText.ToText(Core.Accounts.MailboxState.NeedsReauth)];
        await WithSqlAsync(sql => sql.QueryAsync(
            Query,
            [Model.MailboxText.ToText(Core.Accounts.MailboxProtocol.Archive), needsPerson, Model.MailboxText.ToText(Core.Accounts.MailboxState.New)],
            r => (r.GetBoolean(1) ? start : stop).Add(r.GetInt64(0)), cancellationToken));
        return (start, stop);
    }

    private async Task WithSqlAsync(Func<BatchSql, Task> work) => await WithSqlAsync(async sql => { await work(sql); return (object?)null; });

    private async Task<object?> WithSqlAsync(Func<BatchSql, Task<object?>> work)
    {
        await using var db = _contexts.Create();
        await db.Database.OpenConnectionAsync();
        return await work(BatchSql.ForReads(db));
    }
}
