namespace Mailroom.Core.Connectors;

/// <summary>One page of users.messages.list: message ids, newest first, and the token of the next page.</summary>
public sealed record GmailApiIdPage(IReadOnlyList<string> Ids, string? NextPageToken);
