using System.Globalization;
using System.Xml;
using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.Ews;

internal static partial class EwsResponseReader
{
    /// <summary>One operation-specific child of a response message.</summary>
    private static void ReadContent(XmlReader r, EwsContent content)
    {
        switch (r.LocalName)
        {
            case "SyncState": content.SyncState = r.ReadElementContentAsString(); break;
            case "SubscriptionId": content.SubscriptionId = r.ReadElementContentAsString().Trim(); break;
            case "IncludesLastItemInRange" or "IncludesLastFolderInRange": content.IncludesLastInRange = Bool(r); break;
            case "Changes": ReadChanges(r, content); break;
            case "Items":
                foreach (var item in Children(r))
                    content.Items.Add(ReadItem(item));
                break;
            case "Folders":
                foreach (var folder in Children(r))
                    content.Folders.Add(ReadFolder(folder));
                break;
            case "RootFolder":
                if (r.GetAttribute("IncludesLastItemInRange") is { } last)
                    content.IncludesLastInRange = XmlConvert.ToBoolean(last);
                foreach (var c in Children(r))
                    ReadContent(c, content);
                break;
            default: r.Skip(); break;
        }
    }

    private static void ReadChanges(XmlReader r, EwsContent content)
    {
        foreach (var change in Children(r))
        {
            var kind = change.LocalName switch
            {
                "Create" => EwsChangeKind.Create,
                "Update" => EwsChangeKind.Update,
                "Delete" => EwsChangeKind.Delete,
                "ReadFlagChange" => EwsChangeKind.ReadFlagChange,
                _ => (EwsChangeKind?)null,
            };
            if (kind is not { } k)
            {
                change.Skip();
                continue;
            }
            string? itemId = null, changeKey = null, folderId = null;
            bool? isRead = null;
            foreach (var c in Children(change))
            {
                switch (c.LocalName)
                {
                    case "ItemId":
                        (itemId, changeKey) = (c.GetAttribute("Id"), c.GetAttribute("ChangeKey"));
                        c.Skip();
                        break;
                    case "FolderId":
                        folderId = c.GetAttribute("Id");
                        c.Skip();
                        break;
                    case "IsRead": isRead = Bool(c); break;
                    case var name when name.EndsWith("Folder", StringComparison.Ordinal):
                        var folder = ReadFolder(c);
                        content.FolderChanges.Add(new EwsFolderChange(k, folder.Id, folder));
                        break;
                    default:
                        content.ItemChanges.Add(ReadItem(c).ToChange(k));
                        break;
                }
            }
            if (itemId is not null)
                content.ItemChanges.Add(new EwsItemChange(k, itemId, changeKey, IsRead: isRead));
            else if (folderId is not null)
                content.FolderChanges.Add(new EwsFolderChange(k, folderId, null));
        }
    }

    private static EwsItemFields ReadItem(XmlReader r)
    {
        var item = new EwsItemFields { Element = r.LocalName };
        foreach (var c in Children(r))
        {
            switch (c.LocalName)
            {
                case "ItemId":
                    (item.Id, item.ChangeKey) = (c.GetAttribute("Id"), c.GetAttribute("ChangeKey"));
                    c.Skip();
                    break;
                case "ParentFolderId":
                    item.ParentFolderId = c.GetAttribute("Id");
                    c.Skip();
                    break;
                case "ConversationId":
                    item.ConversationId = c.GetAttribute("Id");
                    c.Skip();
                    break;
                case "ItemClass": item.ItemClass = c.ReadElementContentAsString(); break;
                case "InternetMessageId": item.InternetMessageId = c.ReadElementContentAsString().Trim(); break;
                case "IsRead": item.IsRead = Bool(c); break;
                case "Size": item.Size = long.Parse(c.ReadElementContentAsString(), NumberStyles.Integer, CultureInfo.InvariantCulture); break;
                case "DateTimeReceived":
                    item.DateTimeReceived = DateTimeOffset.Parse(c.ReadElementContentAsString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                    break;
                case "MimeContent": item.Mime = ReadBase64(c); break;
                default: c.Skip(); break;
            }
        }
        return item;
    }

    private static EwsFolder ReadFolder(XmlReader r)
    {
        string? id = null, changeKey = null, parent = null, name = null, folderClass = null;
        foreach (var c in Children(r))
        {
            switch (c.LocalName)
            {
                case "FolderId":
                    (id, changeKey) = (c.GetAttribute("Id"), c.GetAttribute("ChangeKey"));
                    c.Skip();
                    break;
                case "ParentFolderId":
                    parent = c.GetAttribute("Id");
                    c.Skip();
                    break;
                case "DisplayName": name = c.ReadElementContentAsString(); break;
                case "FolderClass": folderClass = c.ReadElementContentAsString(); break;
                default: c.Skip(); break;
            }
        }
        return new EwsFolder(id ?? throw new XmlException("An EWS folder has no FolderId."), changeKey, parent, name ?? "", folderClass);
    }

    /// <summary>MIME content, decoded in chunks as it is read.</summary>
    private static byte[] ReadBase64(XmlReader r)
    {
        if (r.IsEmptyElement)
        {
            r.Read();
            return [];
        }
        using var output = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = r.ReadElementContentAsBase64(buffer, 0, buffer.Length)) > 0)
            output.Write(buffer, 0, n);
        return output.ToArray();
    }
}
