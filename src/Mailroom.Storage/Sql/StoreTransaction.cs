using Mailroom.Core.Events;
using Microsoft.EntityFrameworkCore.Storage;

namespace Mailroom.Storage.Sql;

/// <summary>
/// One transaction on its own short-lived context: the connection is opened and the transaction begun on it, so EF
/// Core's statements and the hand-written ones of <see cref="Sql"/> run in the same transaction. A transaction begun
/// with an <see cref="EventSignal"/> keeps its <see cref="Events"/>, which <see cref="CommitAsync"/> writes as its last
/// statements before COMMIT (see <see cref="PendingEvents"/> for why that order matters). Disposing without committing
/// rolls back.
/// </summary>
internal sealed class StoreTransaction : IAsyncDisposable
{
    private readonly IDbContextTransaction _transaction;
    private readonly PendingEvents? _events;
    private readonly EventSignal? _signal;

    private StoreTransaction(MailroomDbContext db, IDbContextTransaction transaction, DateTimeOffset? now, EventSignal? signal)
    {
        Db = db;
        _transaction = transaction;
        Sql = BatchSql.For(db, transaction);
        _signal = signal;
        _events = now is { } at ? new PendingEvents(db, at) : null;
    }

    public MailroomDbContext Db { get; }

    public BatchSql Sql { get; }

    /// <summary>The events this transaction writes; only a transaction begun with an event signal has them.</summary>
    public PendingEvents Events => _events ?? throw new InvalidOperationException("This transaction was begun without events.");

    /// <summary>A transaction that writes no events (or only reads, through <see cref="Sql"/>).</summary>
    public static Task<StoreTransaction> BeginAsync(MailroomContextFactory contexts, CancellationToken cancellationToken) =>
        BeginAsync(contexts, null, null, cancellationToken);

    /// <summary>A transaction whose events carry <paramref name="now"/>; its commit signals this process's event readers.</summary>
    public static Task<StoreTransaction> BeginAsync(
        MailroomContextFactory contexts, DateTimeOffset now, EventSignal signal, CancellationToken cancellationToken) =>
        BeginAsync(contexts, (DateTimeOffset?)now, signal, cancellationToken);

    private static async Task<StoreTransaction> BeginAsync(
        MailroomContextFactory contexts, DateTimeOffset? now, EventSignal? signal, CancellationToken cancellationToken)
    {
        var db = contexts.Create();
        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var begun = new StoreTransaction(db, transaction, now, signal);
            if (Cluster.MailboxFence.Current is { } lease)
                await CheckFenceAsync(begun, lease, cancellationToken);
            return begun;
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A cluster worker's transaction: its lease's token must still be the one in the database. The row is locked FOR
    /// KEY SHARE until this transaction ends: a new owner's take (it changes the token, a key column) waits for this
    /// write to finish, and every write after the take sees the new token and is refused; the owner's renewals (they
    /// change only the expiry) do not wait.
    /// </summary>
    private static async Task CheckFenceAsync(StoreTransaction begun, Cluster.MailboxLease lease, CancellationToken cancellationToken)
    {
        var token = await begun.Sql.ScalarAsync(
            "SELECT token FROM mailbox_leases WHERE mailbox_id = @p0 FOR KEY SHARE", [lease.MailboxId], cancellationToken);
        if (token is long current && current == lease.Token && !lease.IsLost)
            return;
        lease.Lose();
        await begun.DisposeAsync();
        throw new Cluster.MailboxFencedException(lease.MailboxId, lease.Token);
    }

    /// <summary>The parts a method uses, by name: <c>var (db, sql, events) = transaction;</c>.</summary>
    public void Deconstruct(out MailroomDbContext db, out BatchSql sql)
    {
        db = Db;
        sql = Sql;
    }

    public void Deconstruct(out MailroomDbContext db, out BatchSql sql, out PendingEvents events)
    {
        (db, sql) = this;
        events = Events;
    }

    /// <summary>Writes the events, commits, and then signals the readers if there were any.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_events is null)
        {
            await _transaction.CommitAsync(cancellationToken);
            return;
        }

        var wrote = await _events.FlushAsync(Sql, cancellationToken);
        await _transaction.CommitAsync(cancellationToken);
        if (wrote)
            _signal!.Notify();
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await Db.DisposeAsync();
    }
}
