namespace Mailroom.Core.Connectors;

/// <summary>users.getProfile: the mailbox's address and current history id.</summary>
public sealed record GmailApiProfile(string EmailAddress, ulong HistoryId, long MessagesTotal);
