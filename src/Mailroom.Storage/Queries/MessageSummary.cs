namespace Mailroom.Storage.Queries;

/// <summary>A message as listed.</summary>
public sealed record MessageSummary(
    long Id, long MailboxId, long? ThreadId, string? Subject, string? From, string? To, DateTimeOffset? Date, string Snippet,
    bool HasAttachments, long Size, bool Unread);
