using System.Text.Json;
using Mailroom.Core.Events;
using Mailroom.Core.Sending;

namespace Mailroom.Storage.Stores;

/// <summary>
/// <see cref="IOutboxStore"/> on EF Core. A claim is one conditional UPDATE whose WHERE repeats the "due" test, so on
/// PostgreSQL two nodes racing for a row serialize on its row lock and the second finds it no longer due; on SQLite
/// writers are serialized anyway. Every later change names the claim token.
/// </summary>
internal sealed class EfOutboxStore(MailroomContextFactory contexts, TimeProvider time, EventSignal signal) : IOutboxStore
{
    private const string PostgresDue =
        "state IN ('Queued', 'Retrying', 'Sending') AND next_attempt_at <= {0} AND (lease_until IS NULL OR lease_until < {0})";

    private const string PostgresClaimAny =
        "UPDATE outbox SET claim_token = {2}, lease_until = {3} WHERE " + PostgresDue +
        " AND id IN (SELECT id FROM outbox WHERE " + PostgresDue + " ORDER BY id LIMIT {4} FOR UPDATE SKIP LOCKED)";

    private const string PostgresClaimMailbox =
        "UPDATE outbox SET claim_token = {2}, lease_until = {3} WHERE mailbox_id = {1} AND " + PostgresDue +
        " AND id IN (SELECT id FROM outbox WHERE mailbox_id = {1} AND " + PostgresDue + " ORDER BY id LIMIT {4} FOR UPDATE SKIP LOCKED)";

    public async Task<(OutboxItem Item, bool Created)> EnqueueAsync(
        long mailboxId, string idempotencyKey, ComposedMessage message, CancellationToken cancellationToken)
    {
        // One statement: a repeated key (a client retrying) inserts nothing and is then looked up, without an error.
        await using var transaction = await StoreTransaction.BeginAsync(contexts, cancellationToken);
        var (db, sql) = transaction;
        var now = time.GetUtcNow();
        var entity = new OutboxEntity
        {
            MailboxId = mailboxId,
            IdempotencyKey = idempotencyKey,
            MessageIdHeader = message.MessageId,
            Sender = message.Sender,
            Recipients = JsonSerializer.Serialize(message.Recipients, StorageJson.Default.IReadOnlyListString),
            Subject = message.Subject,
            Raw = message.Raw,
            International = message.International,
            State = OutboxState.Queued,
            CreatedAt = now,
            NextAttemptAt = now,
            SentCopy = SentCopyState.Pending,
        };
        var id = await sql.ScalarAsync(Insert,
            [entity.MailboxId, entity.IdempotencyKey, entity.MessageIdHeader, entity.Sender, entity.Recipients, entity.Subject,
             entity.Raw, entity.International, nameof(OutboxState.Queued), db.ToDbTime(now), nameof(SentCopyState.Pending)], cancellationToken);
        if (id is not null)
            entity.Id = Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
        else
            entity = (await FindByKeyAsync(db, mailboxId, idempotencyKey, cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return (ToItem(entity), id is not null);
    }

    private const string Insert =
        "INSERT INTO outbox (mailbox_id, idempotency_key, message_id_header, sender, recipients, subject, raw, international, " +
        "state, attempts, created_at, next_attempt_at, sent_copy) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, 0, @p9, @p9, @p10) " +
        "ON CONFLICT (mailbox_id, idempotency_key) DO NOTHING RETURNING id";

    public async Task<IReadOnlyList<ClaimedItem>> ClaimAsync(
        DateTimeOffset now, TimeSpan lease, int max, long? mailboxId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var token = Guid.NewGuid();
        var until = now + lease;
        if (db.Provider == StorageProvider.Postgres)
        {
            // SKIP LOCKED: concurrent claimers take different rows instead of queueing on (and then losing) the same ones.
            // The outer WHERE repeats the due test, re-checked on the row version the UPDATE finally locks.
            object[] values = [db.ToDbTime(now), mailboxId ?? 0, token, db.ToDbTime(until), max];
            await (mailboxId is null
                ? db.Database.ExecuteSqlRawAsync(PostgresClaimAny, values, cancellationToken)
                : db.Database.ExecuteSqlRawAsync(PostgresClaimMailbox, values, cancellationToken));
        }
        else
        {
            // SQLite runs one writer at a time: the conditional UPDATE decides, and a claimer that lost every candidate
            // to another (both read them before either wrote) looks again.
            for (var round = 0; round < 5; round++)
            {
                var candidates = await Due(db.Outbox, now, mailboxId).OrderBy(x => x.Id).Take(max).Select(x => x.Id).ToListAsync(cancellationToken);
                if (candidates.Count == 0)
                    return [];
                var updated = await Due(db.Outbox.Where(x => candidates.Contains(x.Id)), now, mailboxId)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.ClaimToken, token).SetProperty(x => x.LeaseUntil, until), cancellationToken);
                if (updated > 0)
                    break;
            }
        }
        var claimed = await db.Outbox.AsNoTracking().Where(x => x.ClaimToken == token).OrderBy(x => x.Id).ToListAsync(cancellationToken);
        return [.. claimed.Select(e => new ClaimedItem(ToItem(e), e.Raw, e.International, token, until))];
    }

    public async Task<int> RenewAsync(IReadOnlyList<ClaimedItem> claims, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        if (claims.Count == 0)
            return 0;
        await using var db = contexts.Create();
        var ids = claims.Select(c => c.Item.Id).ToList();
        var token = claims[0].ClaimToken;
        return await db.Outbox.Where(x => ids.Contains(x.Id) && x.ClaimToken == token)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseUntil, leaseUntil), cancellationToken);
    }

    public async Task<IReadOnlyList<ClaimedItem>> MarkSendingAsync(IReadOnlyList<ClaimedItem> claims, CancellationToken cancellationToken)
    {
        if (claims.Count == 0)
            return [];
        var now = time.GetUtcNow();
        var token = claims[0].ClaimToken;
        var ids = claims.Select(c => c.Item.Id).ToList();
        await using var transaction = await StoreTransaction.BeginAsync(contexts, cancellationToken);
        var db = transaction.Db;
        await db.Outbox.Where(x => ids.Contains(x.Id) && x.ClaimToken == token).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.State, OutboxState.Sending)
            .SetProperty(x => x.Attempts, x => x.Attempts + 1)
            .SetProperty(x => x.LastAttemptAt, now), cancellationToken);
        var held = (await db.Outbox.Where(x => ids.Contains(x.Id) && x.ClaimToken == token).Select(x => x.Id).ToListAsync(cancellationToken)).ToHashSet();
        await transaction.CommitAsync(cancellationToken);
        return [.. claims.Where(c => held.Contains(c.Item.Id))];
    }

    public async Task<int> RecordAsync(IReadOnlyList<SendResult> results, CancellationToken cancellationToken)
    {
        if (results.Count == 0)
            return 0;
        await using var transaction = await StoreTransaction.BeginAsync(contexts, time.GetUtcNow(), signal, cancellationToken);
        var (db, sql, events) = transaction;
        var recorded = new List<(SendResult Result, int Attempts)>(results.Count);
        // One prepared statement re-bound per row, returning the row's attempts for its event: EF's ExecuteUpdate per
        // row, and queries after it, cost more CPU than the SMTP submission itself.
        await using (var update = sql.Command(Record, new object?[7]))
        {
            foreach (var result in results)
            {
                if (result.State is not (OutboxState.Sent or OutboxState.Retrying or OutboxState.Failed))
                    throw new ArgumentException($"An outcome ends in sent, retrying or failed, not {result.State}.", nameof(results));
                object?[] values = [result.State.ToString(), db.ToDbTime(result.At), db.ToDbTime(result.RetryAt), result.Code, result.Reply,
                    result.Claim.Item.Id, db.ToDbGuid(result.Claim.ClaimToken)];
                for (var i = 0; i < values.Length; i++)
                    update.Parameters[i].Value = values[i] ?? DBNull.Value;
                // No row: the claim no longer holds it (its lease ran out and another sender took it over).
                if (await update.ExecuteScalarAsync(cancellationToken) is { } attempts and not DBNull)
                    recorded.Add((result, Convert.ToInt32(attempts, System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        var organizations = new Dictionary<long, long>();
        foreach (var (result, attempts) in recorded.Where(r => r.Result.State != OutboxState.Retrying))
        {
            var item = result.Claim.Item;
            if (!organizations.TryGetValue(item.MailboxId, out var organizationId))
            {
                organizationId = Convert.ToInt64(await sql.ScalarAsync("SELECT organization_id FROM mailboxes WHERE id = @p0", [item.MailboxId], cancellationToken),
                    System.Globalization.CultureInfo.InvariantCulture);
                organizations[item.MailboxId] = organizationId;
            }
            events.Add(organizationId, result.State == OutboxState.Sent ? EventTypes.SendSucceeded : EventTypes.SendFailed,
                ResultJson(result, attempts), mailboxId: item.MailboxId, outboxId: item.Id);
        }
        await transaction.CommitAsync(cancellationToken);
        return recorded.Count;
    }

    // The sent time only of a sent row, the next attempt only of a retrying one; the claim token guards every row.
    private const string Record =
        "UPDATE outbox SET state = @p0, " +
        "sent_at = CASE WHEN @p0 = 'Sent' THEN @p1 ELSE sent_at END, " +
        "next_attempt_at = CASE WHEN @p0 = 'Retrying' THEN @p2 ELSE next_attempt_at END, " +
        "last_code = @p3, last_reply = @p4, claim_token = NULL, lease_until = NULL WHERE id = @p5 AND claim_token = @p6 RETURNING attempts";

    /// <summary>The event data of a sent or failed row.</summary>
    private static string ResultJson(SendResult result, int attempts) => PendingEvents.Json(w =>
    {
        var item = result.Claim.Item;
        w.WriteNumber("outboxId", item.Id);
        w.WriteNumber("mailboxId", item.MailboxId);
        w.WriteString("idempotencyKey", item.IdempotencyKey);
        w.WriteString("messageIdHeader", item.MessageId);
        w.WriteStartArray("recipients");
        foreach (var r in item.Recipients)
            w.WriteStringValue(r);
        w.WriteEndArray();
        w.WriteNumber("attempts", attempts);
        if (result.Code is { } c)
            w.WriteNumber("code", c);
        else
            w.WriteNull("code");
        w.WriteString("reply", result.Reply);
    });

    public async Task ReleaseAsync(ClaimedItem claim, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        // Its state before the claim: queued, or retrying when an earlier attempt failed temporarily (a dead sender's
        // row, claimed while "sending", was attempted before: it, too, goes back as retrying).
        var before = claim.Item.State == OutboxState.Queued ? OutboxState.Queued : OutboxState.Retrying;
        await Held(db, claim).Where(x => x.State == OutboxState.Sending).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.State, before)
            .SetProperty(x => x.Attempts, x => x.Attempts - 1)
            .SetProperty(x => x.ClaimToken, (Guid?)null)
            .SetProperty(x => x.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        await Held(db, claim).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.ClaimToken, (Guid?)null)
            .SetProperty(x => x.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
    }

    public async Task<IReadOnlyList<(OutboxItem Item, byte[] Raw)>> ListPendingSentCopiesAsync(long mailboxId, int max, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var rows = await db.Outbox.AsNoTracking()
            .Where(x => x.MailboxId == mailboxId && x.State == OutboxState.Sent
                && (x.SentCopy == SentCopyState.Pending || x.SentCopy == SentCopyState.Appending))
            .OrderBy(x => x.Id).Take(max).ToListAsync(cancellationToken);
        return [.. rows.Select(e => (ToItem(e), e.Raw))];
    }

    public async Task<IReadOnlyList<long>> MailboxesWithPendingSentCopiesAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.Outbox.Where(x => x.State == OutboxState.Sent && (x.SentCopy == SentCopyState.Pending || x.SentCopy == SentCopyState.Appending))
            .Select(x => x.MailboxId).Distinct().ToListAsync(cancellationToken);
    }

    public async Task SetSentCopyProblemAsync(long id, string problem, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        await db.Outbox.Where(x => x.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.SentCopyError, problem), cancellationToken);
    }

    public async Task SetSentCopiesAsync(IReadOnlyCollection<long> ids, SentCopyState state, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
            return;
        await using var db = contexts.Create();
        await db.Outbox.Where(x => ids.Contains(x.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.SentCopy, state)
            .SetProperty(x => x.SentCopyError, (string?)null), cancellationToken);
    }

    public async Task<OutboxItem?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var row = await db.Outbox.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        return row is null ? null : ToItem(row);
    }

    public async Task<IReadOnlyList<OutboxItem>> ListAsync(long? mailboxId, int max, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var query = db.Outbox.AsNoTracking();
        if (mailboxId is { } id)
            query = query.Where(x => x.MailboxId == id);
        // Without the raw bytes: a listing must not read every message.
        var rows = await query.OrderByDescending(x => x.Id).Take(max)
            .Select(x => new OutboxEntity
            {
                Id = x.Id, MailboxId = x.MailboxId, IdempotencyKey = x.IdempotencyKey, MessageIdHeader = x.MessageIdHeader,
                Sender = x.Sender, Recipients = x.Recipients, Subject = x.Subject, Raw = Array.Empty<byte>(), State = x.State,
                Attempts = x.Attempts, CreatedAt = x.CreatedAt, NextAttemptAt = x.NextAttemptAt, SentAt = x.SentAt,
                LastCode = x.LastCode, LastReply = x.LastReply, SentCopy = x.SentCopy, SentCopyError = x.SentCopyError,
            })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(ToItem)];
    }

    public async Task<byte[]?> GetRawAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.Outbox.Where(x => x.Id == id).Select(x => x.Raw).SingleOrDefaultAsync(cancellationToken);
    }

    // Due: waiting for its time (queued, retrying) or left "sending" by a sender whose lease ran out, and not held.
    private static IQueryable<OutboxEntity> Due(IQueryable<OutboxEntity> rows, DateTimeOffset now, long? mailboxId)
    {
        var due = rows.Where(x =>
            (x.State == OutboxState.Queued || x.State == OutboxState.Retrying || x.State == OutboxState.Sending)
            && x.NextAttemptAt <= now
            && (x.LeaseUntil == null || x.LeaseUntil < now));
        return mailboxId is { } id ? due.Where(x => x.MailboxId == id) : due;
    }

    private static IQueryable<OutboxEntity> Held(MailroomDbContext db, ClaimedItem claim) =>
        db.Outbox.Where(x => x.Id == claim.Item.Id && x.ClaimToken == claim.ClaimToken);

    private static Task<OutboxEntity?> FindByKeyAsync(MailroomDbContext db, long mailboxId, string key, CancellationToken cancellationToken) =>
        db.Outbox.AsNoTracking().SingleOrDefaultAsync(x => x.MailboxId == mailboxId && x.IdempotencyKey == key, cancellationToken);

    internal static OutboxItem ToItem(OutboxEntity e) => new(
        e.Id, e.MailboxId, e.IdempotencyKey, e.MessageIdHeader, e.Sender,
        JsonSerializer.Deserialize(e.Recipients, StorageJson.Default.IReadOnlyListString) ?? [],
        e.Subject, e.State, e.Attempts, e.CreatedAt, e.NextAttemptAt, e.SentAt, e.LastCode, e.LastReply, e.SentCopy, e.SentCopyError);
}
