using Mailroom.Core.Accounts;

namespace Mailroom.Core.Storage;

/// <summary>A connected mailbox. The secret is never part of this record.</summary>
public sealed record MailboxRecord(
    long Id,
    long OrganizationId,
    string Name,
    string Protocol,
    MailboxSettings Settings,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSyncedAt,
    string? LastError);
