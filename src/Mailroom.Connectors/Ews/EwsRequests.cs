using System.Globalization;
using System.Text;
using System.Xml;

namespace Mailroom.Connectors.Ews;

/// <summary>
/// The SOAP requests the connector sends, written with <see cref="XmlWriter"/> in the element order of messages.xsd and
/// types.xsd (tests validate each against them). Only the properties sync keeps are asked for, never whole items.
/// </summary>
internal static class EwsRequests
{
    private const string T = EwsNamespaces.Types;
    private const string M = EwsNamespaces.Messages;

    /// <summary>What an item change or a fetched item reports besides its id: enough to match without a download.</summary>
    private static readonly string[] ItemFields =
    [
        "item:ItemClass", "item:ParentFolderId", "item:Size", "item:DateTimeReceived", "item:ConversationId",
        "message:IsRead", "message:InternetMessageId",
    ];

    public static byte[] GetFolder(string serverVersion, IEnumerable<string> distinguishedIds) => Envelope(serverVersion, w =>
    {
        w.WriteStartElement("GetFolder", M);
        w.WriteStartElement("FolderShape", M);
        w.WriteElementString("BaseShape", T, "IdOnly");
        w.WriteEndElement();
        Ids(w, "FolderIds", "DistinguishedFolderId", distinguishedIds);
        w.WriteEndElement();
    });

    public static byte[] SyncFolderHierarchy(string serverVersion, string? syncState) => Envelope(serverVersion, w =>
    {
        w.WriteStartElement("SyncFolderHierarchy", M);
        w.WriteStartElement("FolderShape", M);
        w.WriteElementString("BaseShape", T, "IdOnly");
        w.WriteStartElement("AdditionalProperties", T);
        foreach (var field in (string[])["folder:ParentFolderId", "folder:DisplayName", "folder:FolderClass"])
            FieldUri(w, field);
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteStartElement("SyncFolderId", M);
        Id(w, "DistinguishedFolderId", "msgfolderroot");
        w.WriteEndElement();
        if (syncState is not null)
            w.WriteElementString("SyncState", M, syncState);
        w.WriteEndElement();
    });

    public static byte[] SyncFolderItems(string serverVersion, string folderId, string? syncState, int maxChanges) => Envelope(serverVersion, w =>
    {
        w.WriteStartElement("SyncFolderItems", M);
        ItemShape(w, mime: false);
        w.WriteStartElement("SyncFolderId", M);
        Id(w, "FolderId", folderId);
        w.WriteEndElement();
        if (syncState is not null)
            w.WriteElementString("SyncState", M, syncState);
        w.WriteElementString("MaxChangesReturned", M, maxChanges.ToString(CultureInfo.InvariantCulture));
        w.WriteElementString("SyncScope", M, "NormalItems");
        w.WriteEndElement();
    });

    public static byte[] GetItemMime(string serverVersion, IEnumerable<string> itemIds) => Envelope(serverVersion, w =>
    {
        w.WriteStartElement("GetItem", M);
        ItemShape(w, mime: true);
        Ids(w, "ItemIds", "ItemId", itemIds);
        w.WriteEndElement();
    });

    /// <summary>CreateItem of a Message from its MIME: Exchange sends it and files the copy in Sent Items itself.</summary>
    public static byte[] SendMime(string serverVersion, ReadOnlyMemory<byte> mime) => Envelope(serverVersion, w =>
    {
        w.WriteStartElement("CreateItem", M);
        w.WriteAttributeString("MessageDisposition", "SendAndSaveCopy");
        w.WriteStartElement("SavedItemFolderId", M);
        Id(w, "DistinguishedFolderId", "sentitems");
        w.WriteEndElement();
        w.WriteStartElement("Items", M);
        w.WriteStartElement("Message", T);
        w.WriteStartElement("MimeContent", T);
        w.WriteAttributeString("CharacterSet", "UTF-8");
        var bytes = mime.Span;
        // Base64 in slices so a large message is not one more full-size string.
        const int slice = 57 * 1024;
        for (var offset = 0; offset < bytes.Length; offset += slice)
            w.WriteString(Convert.ToBase64String(bytes.Slice(offset, Math.Min(slice, bytes.Length - offset))));
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
    });

    private static void ItemShape(XmlWriter w, bool mime)
    {
        w.WriteStartElement("ItemShape", M);
        w.WriteElementString("BaseShape", T, "IdOnly");
        if (mime)
            w.WriteElementString("IncludeMimeContent", T, "true");
        w.WriteStartElement("AdditionalProperties", T);
        foreach (var field in ItemFields)
            FieldUri(w, field);
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void FieldUri(XmlWriter w, string field)
    {
        w.WriteStartElement("FieldURI", T);
        w.WriteAttributeString("FieldURI", field);
        w.WriteEndElement();
    }

    /// <summary>A messages-namespace list of types-namespace id elements (FolderIds, ItemIds).</summary>
    private static void Ids(XmlWriter w, string list, string element, IEnumerable<string> ids)
    {
        w.WriteStartElement(list, M);
        foreach (var id in ids)
            Id(w, element, id);
        w.WriteEndElement();
    }

    /// <summary>An id element (FolderId, ItemId, DistinguishedFolderId): its Id attribute and nothing else.</summary>
    /// <summary>A streaming subscription to every folder (Exchange 2010 SP1 and later), for the events that mean "sync again".</summary>
    public static byte[] SubscribeStreaming(string serverVersion) => Envelope(serverVersion, w =>
    {
        w.WriteStartElement("Subscribe", M);
        w.WriteStartElement("StreamingSubscriptionRequest", M);
        w.WriteAttributeString("SubscribeToAllFolders", "true");
        w.WriteStartElement("EventTypes", T);
        foreach (var type in (string[])["CopiedEvent", "CreatedEvent", "DeletedEvent", "ModifiedEvent", "MovedEvent", "NewMailEvent"])
            w.WriteElementString("EventType", T, type);
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
    });

    /// <summary>Opens the subscription's event stream for <paramref name="minutes"/> (1 to 30).</summary>
    public static byte[] GetStreamingEvents(string serverVersion, string subscriptionId, int minutes) => Envelope(serverVersion, w =>
    {
        w.WriteStartElement("GetStreamingEvents", M);
        w.WriteStartElement("SubscriptionIds", M);
        w.WriteElementString("SubscriptionId", T, subscriptionId);
        w.WriteEndElement();
        w.WriteElementString("ConnectionTimeout", M, minutes.ToString(CultureInfo.InvariantCulture));
        w.WriteEndElement();
    });

    private static void Id(XmlWriter w, string element, string id)
    {
        w.WriteStartElement(element, T);
        w.WriteAttributeString("Id", id);
        w.WriteEndElement();
    }

    private static byte[] Envelope(string serverVersion, Action<XmlWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("soap", "Envelope", EwsNamespaces.Soap);
            w.WriteAttributeString("xmlns", "t", null, T);
            w.WriteAttributeString("xmlns", "m", null, M);
            w.WriteStartElement("Header", EwsNamespaces.Soap);
            w.WriteStartElement("RequestServerVersion", T);
            w.WriteAttributeString("Version", serverVersion);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteStartElement("Body", EwsNamespaces.Soap);
            body(w);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return buffer.ToArray();
    }
}
