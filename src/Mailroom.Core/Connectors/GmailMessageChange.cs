namespace Mailroom.Core.Connectors;

/// <summary>
/// One message in a history record: added or relabelled (with its labels as they were then), or deleted. The last
/// change of a message in a history is its state.
/// </summary>
public sealed record GmailMessageChange(string Id, IReadOnlyList<string>? LabelIds, bool Deleted);
