namespace Mailroom.Core.Events;

/// <summary>
/// One entry of the event log, written in the same transaction as the change it describes. <see cref="Id"/> grows
/// in commit order within a database, so a reader that remembers the last id it saw never misses or repeats one.
/// <see cref="Data"/> is the event's JSON object (camelCase); the subject ids are also columns, for filtering.
/// </summary>
public sealed record MailroomEvent(
    long Id,
    long OrganizationId,
    string Type,
    DateTimeOffset CreatedAt,
    long? MailboxId,
    long? MessageId,
    long? ThreadId,
    long? ContactId,
    long? OutboxId,
    string Data);
