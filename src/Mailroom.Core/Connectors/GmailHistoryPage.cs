namespace Mailroom.Core.Connectors;

/// <summary>One page of users.history.list.</summary>
/// <param name="HistoryId">The mailbox's history id when the page was made: the cursor after the last page.</param>
/// <param name="Changes">Each message change of the page's records, in history order.</param>
public sealed record GmailHistoryPage(ulong HistoryId, IReadOnlyList<GmailMessageChange> Changes, string? NextPageToken);
