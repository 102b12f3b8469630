namespace Mailroom.Core.Connectors;

/// <summary>
/// One change of SyncFolderItems. Create and Update carry the item's summary properties (whatever the shape asked for and
/// the server had); Delete only the id; ReadFlagChange the id and <see cref="IsRead"/>.
/// </summary>
/// <param name="ItemClass">IPM.Note for mail; meeting requests, reports and the like also are messages.</param>
public sealed record EwsItemChange(
    EwsChangeKind Kind,
    string ItemId,
    string? ChangeKey,
    string? ItemClass = null,
    bool? IsRead = null,
    long? Size = null,
    string? InternetMessageId = null,
    string? ConversationId = null,
    DateTimeOffset? DateTimeReceived = null);
