using Mailroom.Core.Events;

namespace Mailroom.Storage.Stores;

/// <summary><see cref="IEventStore"/>: keyset reads of the event log (index on organization and id).</summary>
internal sealed class EfEventStore(MailroomContextFactory contexts) : IEventStore
{
    public async Task<IReadOnlyList<MailroomEvent>> ReadAsync(long organizationId, long after, int limit, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var rows = await db.Events.Where(e => e.OrganizationId == organizationId && e.Id > after)
            .OrderBy(e => e.Id).Take(limit).ToListAsync(cancellationToken);
        return [.. rows.Select(ToRecord)];
    }

    public async Task<long> LatestIdAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.Events.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
    }

    public static MailroomEvent ToRecord(EventEntity e) =>
        new(e.Id, e.OrganizationId, e.Type, e.CreatedAt, e.MailboxId, e.MessageId, e.ThreadId, e.ContactId, e.OutboxId, e.Data);
}
