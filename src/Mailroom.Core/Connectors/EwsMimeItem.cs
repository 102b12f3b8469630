namespace Mailroom.Core.Connectors;

/// <summary>An item read by GetItem with its MIME content (decoded from base64) and the properties sync keeps.</summary>
public sealed record EwsMimeItem(
    string ItemId,
    string? ChangeKey,
    byte[] Mime,
    bool? IsRead,
    long? Size,
    string? InternetMessageId,
    string? ConversationId,
    string? ParentFolderId,
    DateTimeOffset? DateTimeReceived);
