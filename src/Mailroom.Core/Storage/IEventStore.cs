using Mailroom.Core.Events;

namespace Mailroom.Core.Storage;

/// <summary>Reads the event log. Events are written by the stores themselves, in the transaction of each change.</summary>
public interface IEventStore
{
    /// <summary>Events of <paramref name="organizationId"/> with ids above <paramref name="after"/>, in id (= commit) order.</summary>
    Task<IReadOnlyList<MailroomEvent>> ReadAsync(long organizationId, long after, int limit, CancellationToken cancellationToken);

    /// <summary>The highest event id committed (0 when there is none).</summary>
    Task<long> LatestIdAsync(CancellationToken cancellationToken);
}
