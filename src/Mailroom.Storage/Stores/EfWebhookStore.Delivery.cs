using Mailroom.Core.Events;

namespace Mailroom.Storage.Stores;

/// <summary>Dispatch, claims and completion: the delivery worker's side.</summary>
internal sealed partial class EfWebhookStore
{
    private const int MaxErrorLength = 2000;

    private const string PostgresDue =
        "state = 'Pending' AND next_attempt_at <= {0} AND (lease_until IS NULL OR lease_until < {0})";

    private const string PostgresClaim =
        "UPDATE webhook_deliveries SET claim_token = {1}, lease_until = {2} WHERE " + PostgresDue +
        " AND id IN (SELECT id FROM webhook_deliveries WHERE " + PostgresDue + " ORDER BY id LIMIT {3} FOR UPDATE SKIP LOCKED)";

    public async Task<int> DispatchAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(contexts, cancellationToken);
        var (db, sql) = transaction;

        var lockClause = db.Provider == StorageProvider.Postgres ? " FOR UPDATE" : "";
        var position = (long?)await sql.ScalarAsync($"SELECT position FROM event_cursors WHERE name = @p0{lockClause}", [DispatchCursor], cancellationToken);
        if (position is null)
        {
            await sql.ScalarAsync("INSERT INTO event_cursors (name, position) VALUES (@p0, 0) ON CONFLICT DO NOTHING", [DispatchCursor], cancellationToken);
            position = (long)(await sql.ScalarAsync($"SELECT position FROM event_cursors WHERE name = @p0{lockClause}", [DispatchCursor], cancellationToken))!;
        }

        var events = new List<(long Id, long Organization, string Type)>();
        await sql.QueryAsync(
            "SELECT id, organization_id, type FROM events WHERE id > @p0 ORDER BY id LIMIT @p1", [position.Value, max],
            reader => events.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2))), cancellationToken);
        if (events.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }

        var organizations = events.Select(e => e.Organization).Distinct().ToList();
        var subscriptions = await db.WebhookSubscriptions.Where(s => organizations.Contains(s.OrganizationId))
            .Select(s => new { s.Id, s.OrganizationId, s.EventTypes, s.StartEventId }).ToListAsync(cancellationToken);
        var byOrganization = subscriptions.ToLookup(s => s.OrganizationId, s => (s.Id, s.StartEventId, Filter: s.EventTypes.Length == 0 ? [] : s.EventTypes.Split(' ')));

        var dbNow = db.ToDbTime(now);
        var rows = new List<object?[]>();
        foreach (var e in events)
        {
            foreach (var s in byOrganization[e.Organization])
            {
                if (e.Id > s.StartEventId && EventTypes.Matches(s.Filter, e.Type))
                    rows.Add([s.Id, e.Organization, e.Id, e.Type, nameof(WebhookDeliveryState.Pending), 0, dbNow, dbNow, dbNow]);
            }
        }

        if (rows.Count > 0)
        {
            await sql.InsertRowsAsync(
                "INSERT INTO webhook_deliveries (subscription_id, organization_id, event_id, event_type, state, attempts, created_at, retry_since, next_attempt_at)",
                "ON CONFLICT (subscription_id, event_id) DO NOTHING", 9, rows, cancellationToken);
        }

        await sql.ScalarAsync(
            "UPDATE event_cursors SET position = @p1 WHERE name = @p0 AND position < @p1", [DispatchCursor, events[^1].Id], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return events.Count;
    }

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var token = Guid.NewGuid();
        var until = now + lease;
        if (db.Provider == StorageProvider.Postgres)
        {
            object[] values = [db.ToDbTime(now), token, db.ToDbTime(until), max];
            await db.Database.ExecuteSqlRawAsync(PostgresClaim, values, cancellationToken);
        }
        else
        {
            // SQLite runs one writer at a time: the conditional update decides, and a claimer that lost every
            // candidate to another (both read them before either wrote) looks again.
            for (var round = 0; round < 5; round++)
            {
                var candidates = await Due(db.WebhookDeliveries, now).OrderBy(d => d.Id).Take(max).Select(d => d.Id).ToListAsync(cancellationToken);
                if (candidates.Count == 0)
                    return [];
                var updated = await Due(db.WebhookDeliveries.Where(d => candidates.Contains(d.Id)), now)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimToken, token).SetProperty(d => d.LeaseUntil, until), cancellationToken);
                if (updated > 0)
                    break;
            }
        }

        var claimed = await (
            from d in db.WebhookDeliveries
            join s in db.WebhookSubscriptions on d.SubscriptionId equals s.Id
            join e in db.Events on d.EventId equals e.Id
            where d.ClaimToken == token
            orderby d.Id
            select new { d.Id, d.Attempts, d.RetrySince, s.Url, s.ProtectedSecret, Event = e })
            .ToListAsync(cancellationToken);
        return [.. claimed.Select(c => new ClaimedDelivery(
            c.Id, c.Attempts + 1, c.RetrySince, new Uri(c.Url), c.ProtectedSecret, EfEventStore.ToRecord(c.Event), token))];
    }

    public async Task CompleteAsync(IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
            return;
        await using var transaction = await StoreTransaction.BeginAsync(contexts, cancellationToken);
        var (db, sql) = transaction;

        // One prepared statement re-bound per delivery; it applies only while the claim still holds the row.
        await using var update = sql.Command(
            "UPDATE webhook_deliveries SET state = @p2, attempts = @p3, next_attempt_at = COALESCE(@p4, next_attempt_at), " +
            "completed_at = @p5, last_status_code = @p6, last_error = @p7, claim_token = NULL, lease_until = NULL " +
            "WHERE id = @p0 AND claim_token = @p1",
            [0L, Guid.Empty, "", 0, db.ToDbTime(DateTimeOffset.UnixEpoch), db.ToDbTime(DateTimeOffset.UnixEpoch), 0, ""]);
        var attempts = new List<object?[]>(outcomes.Count);
        foreach (var o in outcomes)
        {
            var state = o.Succeeded ? WebhookDeliveryState.Succeeded
                : o.NextAttemptAt is null ? WebhookDeliveryState.Failed
                : WebhookDeliveryState.Pending;
            var error = o.Error is null ? null : StoredText.Truncate(StoredText.Clean(o.Error), MaxErrorLength);
            var finished = o.StartedAt + o.Duration;
            update.Parameters[0].Value = o.Claim.DeliveryId;
            update.Parameters[1].Value = db.ToDbGuid(o.Claim.ClaimToken);
            update.Parameters[2].Value = state.ToString();
            update.Parameters[3].Value = o.Claim.Attempt;
            update.Parameters[4].Value = o.NextAttemptAt is { } next ? db.ToDbTime(next) : DBNull.Value;
            update.Parameters[5].Value = state == WebhookDeliveryState.Pending ? DBNull.Value : db.ToDbTime(finished);
            update.Parameters[6].Value = o.StatusCode is { } code ? code : DBNull.Value;
            update.Parameters[7].Value = error is null ? DBNull.Value : error;
            await update.ExecuteNonQueryAsync(cancellationToken);

            // The log keeps every attempt made, even one whose claim ran out meanwhile.
            attempts.Add([o.Claim.DeliveryId, o.Claim.Attempt, db.ToDbTime(o.StartedAt), (int)Math.Min(int.MaxValue, o.Duration.TotalMilliseconds),
                o.Succeeded, o.StatusCode, error]);
        }

        await sql.InsertRowsAsync(
            "INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, succeeded, status_code, error)", "",
            7, attempts, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static IQueryable<WebhookDeliveryEntity> Due(IQueryable<WebhookDeliveryEntity> rows, DateTimeOffset now) =>
        rows.Where(d => d.State == WebhookDeliveryState.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now));
}
