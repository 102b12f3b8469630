namespace Mailroom.Storage.Queries;

/// <summary>What a message list is limited to; every id has been checked to belong to the organization.</summary>
public sealed record MessageFilter(long? MailboxId, long? FolderId, long? ThreadId, long? ContactId, DateTimeOffset? Since, bool? Unread);
