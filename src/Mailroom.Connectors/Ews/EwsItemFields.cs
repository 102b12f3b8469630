using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.Ews;

/// <summary>The properties of one item element, as read (any may be absent).</summary>
internal sealed class EwsItemFields
{
    /// <summary>The element's name: Message, MeetingRequest, CalendarItem, …</summary>
    public required string Element { get; init; }

    public string? Id { get; set; }
    public string? ChangeKey { get; set; }
    public string? ParentFolderId { get; set; }
    public string? ItemClass { get; set; }
    public long? Size { get; set; }
    public DateTimeOffset? DateTimeReceived { get; set; }
    public bool? IsRead { get; set; }
    public string? InternetMessageId { get; set; }
    public string? ConversationId { get; set; }
    public byte[]? Mime { get; set; }

    public EwsItemChange ToChange(EwsChangeKind kind) =>
        new(kind, Id ?? throw new System.Xml.XmlException($"An EWS {Element} change has no ItemId."), ChangeKey,
            ItemClass, IsRead, Size, InternetMessageId, ConversationId, DateTimeReceived);
}
