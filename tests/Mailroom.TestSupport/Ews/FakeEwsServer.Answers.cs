using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Mailroom.TestSupport.Ews;

public sealed partial class FakeEwsServer
{
    private byte[] Answer(XElement request) => request.Name.LocalName switch
    {
        "GetFolder" => GetFolder(request),
        "SyncFolderHierarchy" => SyncFolderHierarchy(request),
        "SyncFolderItems" => SyncFolderItems(request),
        "GetItem" => GetItem(request),
        "CreateItem" => CreateItem(request),
        "Subscribe" when Streaming => Subscribe(request),
        var other => Fault("ErrorInvalidOperation", $"The fake does not implement {other}.", null),
    };

    private static XName Tn(string name) => XName.Get(name, T);

    private static XName Mn(string name) => XName.Get(name, M);

    private byte[] GetFolder(XElement request)
    {
        var names = request.Element(Mn("FolderIds"))!.Elements(Tn("DistinguishedFolderId")).Select(e => (string)e.Attribute("Id")!).ToList();
        return Response("GetFolder", names.Select(name => (Action<XmlWriter>)(w =>
        {
            var id = Mailbox.TryFolderId(name);
            if (id is null)
            {
                Status(w, "Error", "ErrorFolderNotFound", "The specified folder could not be found in the store.");
                return;
            }
            Status(w, "Success", "NoError", null);
            w.WriteStartElement("Folders", M);
            w.WriteStartElement("Folder", T);
            IdElement(w, "FolderId", id, "AQAAAA==");
            w.WriteEndElement();
            w.WriteEndElement();
        })));
    }

    private byte[] SyncFolderHierarchy(XElement request)
    {
        var changes = Mailbox.FolderChanges((string?)request.Element(Mn("SyncState")));
        return Response("SyncFolderHierarchy", [w =>
        {
            if (changes is not { } c)
            {
                Status(w, "Error", "ErrorInvalidSyncStateData", "Synchronization state data is corrupt or otherwise invalid.");
                return;
            }
            Status(w, "Success", "NoError", null);
            w.WriteElementString("SyncState", M, c.SyncState);
            w.WriteElementString("IncludesLastFolderInRange", M, "true");
            w.WriteStartElement("Changes", M);
            foreach (var (kind, folderId, folder) in c.Changes)
            {
                if (folder is null)
                {
                    w.WriteStartElement("Delete", T);
                    IdElement(w, "FolderId", folderId, null);
                    w.WriteEndElement();
                    continue;
                }
                w.WriteStartElement(kind == 'C' ? "Create" : "Update", T);
                w.WriteStartElement(folder.FolderClass switch { "IPF.Appointment" => "CalendarFolder", "IPF.Contact" => "ContactsFolder", _ => "Folder" }, T);
                IdElement(w, "FolderId", folder.Id, "AQAAAA==");
                IdElement(w, "ParentFolderId", folder.ParentId, "AQAAAA==");
                w.WriteElementString("FolderClass", T, folder.FolderClass);
                w.WriteElementString("DisplayName", T, folder.DisplayName);
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }]);
    }

    private byte[] SyncFolderItems(XElement request)
    {
        var folderId = (string)request.Element(Mn("SyncFolderId"))!.Element(Tn("FolderId"))!.Attribute("Id")!;
        var max = int.Parse((string)request.Element(Mn("MaxChangesReturned"))!, CultureInfo.InvariantCulture);
        var changes = Mailbox.ItemChanges(folderId, (string?)request.Element(Mn("SyncState")), max);
        return Response("SyncFolderItems", [w =>
        {
            if (changes is not { } c)
            {
                Status(w, "Error", "ErrorInvalidSyncStateData", "Synchronization state data is corrupt or otherwise invalid.");
                return;
            }
            Status(w, "Success", "NoError", null);
            w.WriteElementString("SyncState", M, c.SyncState);
            w.WriteElementString("IncludesLastItemInRange", M, c.Last ? "true" : "false");
            w.WriteStartElement("Changes", M);
            foreach (var (kind, item, itemId) in c.Changes)
            {
                switch (kind)
                {
                    case 'C' or 'U':
                        w.WriteStartElement(kind == 'C' ? "Create" : "Update", T);
                        Message(w, item!, mime: false);
                        w.WriteEndElement();
                        break;
                    case 'D':
                        w.WriteStartElement("Delete", T);
                        IdElement(w, "ItemId", itemId, null);
                        w.WriteEndElement();
                        break;
                    default:
                        w.WriteStartElement("ReadFlagChange", T);
                        IdElement(w, "ItemId", itemId, item!.ChangeKey);
                        w.WriteElementString("IsRead", T, item.IsRead ? "true" : "false");
                        w.WriteEndElement();
                        break;
                }
            }
            w.WriteEndElement();
        }]);
    }

    private byte[] GetItem(XElement request)
    {
        var mime = (bool?)request.Element(Mn("ItemShape"))!.Element(Tn("IncludeMimeContent")) ?? false;
        var ids = request.Element(Mn("ItemIds"))!.Elements(Tn("ItemId")).Select(e => (string)e.Attribute("Id")!).ToList();
        return Response("GetItem", ids.Select(id => (Action<XmlWriter>)(w =>
        {
            if (Mailbox.Find(id) is not { } item)
            {
                Status(w, "Error", "ErrorItemNotFound", "The specified object was not found in the store.");
                w.WriteElementString("Items", M, null);
                return;
            }
            Status(w, "Success", "NoError", null);
            w.WriteStartElement("Items", M);
            Message(w, item, mime);
            w.WriteEndElement();
            if (mime)
                Interlocked.Increment(ref _mimeServed);
        })));
    }

    private byte[] CreateItem(XElement request)
    {
        var disposition = (string?)request.Attribute("MessageDisposition");
        var content = request.Element(Mn("Items"))!.Element(Tn("Message"))?.Element(Tn("MimeContent"));
        return Response("CreateItem", [w =>
        {
            if (disposition != "SendAndSaveCopy" || content is null)
            {
                Status(w, "Error", "ErrorInvalidOperation", "The fake only sends MIME messages with SendAndSaveCopy.");
                w.WriteElementString("Items", M, null);
                return;
            }
            var mime = Convert.FromBase64String(content.Value);
            _sent.Enqueue(mime);
            Mailbox.Deliver(Mailbox.FolderId("sentitems"), mime, isRead: true);
            Status(w, "Success", "NoError", null);
            w.WriteElementString("Items", M, null); // a sent message's copy has no id to report
        }]);
    }

    private static void Message(XmlWriter w, FakeEwsMailbox.Item item, bool mime)
    {
        w.WriteStartElement("Message", T);
        if (mime)
        {
            w.WriteStartElement("MimeContent", T);
            w.WriteAttributeString("CharacterSet", "UTF-8");
            w.WriteBase64(item.Mime, 0, item.Mime.Length);
            w.WriteEndElement();
        }
        IdElement(w, "ItemId", item.Id, item.ChangeKey);
        IdElement(w, "ParentFolderId", item.FolderId, "AQAAAA==");
        w.WriteElementString("ItemClass", T, "IPM.Note");
        w.WriteElementString("DateTimeReceived", T, item.Received.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        w.WriteElementString("Size", T, item.Mime.Length.ToString(CultureInfo.InvariantCulture));
        IdElement(w, "ConversationId", item.ConversationId, null);
        if (item.InternetMessageId is { } messageId)
            w.WriteElementString("InternetMessageId", T, messageId);
        w.WriteElementString("IsRead", T, item.IsRead ? "true" : "false");
        w.WriteEndElement();
    }

    private static void IdElement(XmlWriter w, string name, string id, string? changeKey)
    {
        w.WriteStartElement(name, T);
        w.WriteAttributeString("Id", id);
        if (changeKey is not null)
            w.WriteAttributeString("ChangeKey", changeKey);
        w.WriteEndElement();
    }

    private static void Status(XmlWriter w, string responseClass, string code, string? text)
    {
        w.WriteAttributeString("ResponseClass", responseClass);
        if (text is not null)
            w.WriteElementString("MessageText", M, text);
        w.WriteElementString("ResponseCode", M, code);
        if (responseClass == "Error")
            w.WriteElementString("DescriptiveLinkKey", M, "0");
    }

    private static byte[] Response(string operation, IEnumerable<Action<XmlWriter>> messages) => Write(w =>
    {
        w.WriteStartElement("m", operation + "Response", M);
        w.WriteAttributeString("xmlns", "t", null, T);
        w.WriteStartElement("ResponseMessages", M);
        foreach (var message in messages)
        {
            w.WriteStartElement(operation + "ResponseMessage", M);
            message(w);
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
    });
}
