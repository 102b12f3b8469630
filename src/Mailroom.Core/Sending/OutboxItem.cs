namespace Mailroom.Core.Sending;

/// <summary>One send request as the outbox holds it (without its bytes).</summary>
public sealed record OutboxItem(
    long Id,
    long MailboxId,
    string IdempotencyKey,
    string MessageId,
    string Sender,
    IReadOnlyList<string> Recipients,
    string Subject,
    OutboxState State,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? SentAt,
    int? LastCode,
    string? LastReply,
    SentCopyState SentCopy,
    string? SentCopyError);
