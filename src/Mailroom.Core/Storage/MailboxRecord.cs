using Mailroom.Core.Accounts;

namespace Mailroom.Core.Storage;

/// <summary>A connected mailbox. The secret is never part of this record.</summary>
public sealed record MailboxRecord(
    long Id,
    long OrganizationId,
    string Name,
    MailboxProtocol Protocol,
    MailboxSettings Settings,
    MailboxState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSyncedAt,
    string? LastError)
{
    /// <summary>The submission server, or null when none is set (the mailbox cannot send).</summary>
    public SmtpSettings? Smtp { get; init; }

    /// <summary>Whether the server files sent mail itself, as learned from earlier sends.</summary>
    public SentFiling SentFiling { get; init; }

    /// <summary>Paused through the API: <c>serve</c> runs no worker for it until it is resumed.</summary>
    public bool Paused { get; init; }
}
