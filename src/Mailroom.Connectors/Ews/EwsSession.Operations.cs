using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.Ews;

internal sealed partial class EwsSession
{
    public async Task<IReadOnlyDictionary<string, string>> GetDistinguishedFolderIdsAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var envelope = await CallAsync(EwsRequests.GetFolder(options.ServerVersion, names), "GetFolder", cancellationToken);
        if (envelope.Fault is { } fault)
            throw EwsErrors.ToException(fault, "GetFolder");
        if (envelope.Messages.Count != names.Count)
            throw new ConnectorException(ConnectorErrorKind.Transient, $"EWS GetFolder: asked for {names.Count} folders, got {envelope.Messages.Count} answers.");
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            var (status, content) = envelope.Messages[i];
            if (status.IsSuccess && content.Folders.Count == 1)
                ids[names[i]] = content.Folders[0].Id;
            else if (!status.IsSuccess && !EwsErrors.IsFolderAbsent(status))
                throw EwsErrors.ToException(status, $"GetFolder {names[i]}");
        }
        return ids;
    }

    public async Task<EwsHierarchyPage?> SyncFolderHierarchyAsync(string? syncState, CancellationToken cancellationToken)
    {
        var envelope = await CallAsync(EwsRequests.SyncFolderHierarchy(options.ServerVersion, syncState), "SyncFolderHierarchy", cancellationToken);
        if (syncState is not null && EwsErrors.IsInvalidSyncState(envelope.FirstStatus))
            return null;
        var content = Single(envelope, "SyncFolderHierarchy");
        return new EwsHierarchyPage(
            content.SyncState ?? throw new ConnectorException(ConnectorErrorKind.Transient, "EWS SyncFolderHierarchy: the answer has no SyncState."),
            content.IncludesLastInRange ?? true, content.FolderChanges);
    }

    public async Task<EwsItemPage?> SyncFolderItemsAsync(string folderId, string? syncState, CancellationToken cancellationToken)
    {
        var envelope = await CallAsync(EwsRequests.SyncFolderItems(options.ServerVersion, folderId, syncState, options.MaxChangesReturned), "SyncFolderItems", cancellationToken);
        if (syncState is not null && EwsErrors.IsInvalidSyncState(envelope.FirstStatus))
            return null;
        var content = Single(envelope, "SyncFolderItems");
        Counters.AddFolderListing();
        return new EwsItemPage(
            content.SyncState ?? throw new ConnectorException(ConnectorErrorKind.Transient, "EWS SyncFolderItems: the answer has no SyncState."),
            content.IncludesLastInRange ?? true, content.ItemChanges);
    }

    public async Task GetMimeAsync(IReadOnlyList<string> itemIds, Func<EwsMimeItem, CancellationToken, ValueTask> onItem, CancellationToken cancellationToken)
    {
        foreach (var batch in itemIds.Chunk(options.GetItemBatchSize))
        {
            var envelope = await CallAsync(EwsRequests.GetItemMime(options.ServerVersion, batch), "GetItem", cancellationToken);
            if (envelope.Fault is { } fault)
                throw EwsErrors.ToException(fault, "GetItem");
            foreach (var (status, content) in envelope.Messages)
            {
                if (!status.IsSuccess)
                {
                    if (EwsErrors.IsItemGone(status))
                        continue;
                    throw EwsErrors.ToException(status, "GetItem");
                }
                foreach (var item in content.Items)
                {
                    if (item.Id is null || item.Mime is null)
                        throw new ConnectorException(ConnectorErrorKind.Transient, $"EWS GetItem: an answer lacks the {(item.Id is null ? "ItemId" : "MimeContent")}.");
                    Counters.AddBody(item.Mime.Length);
                    await onItem(new EwsMimeItem(item.Id, item.ChangeKey, item.Mime, item.IsRead, item.Size, item.InternetMessageId,
                        item.ConversationId, item.ParentFolderId, item.DateTimeReceived), cancellationToken);
                }
            }
        }
    }

    public async Task SendMimeAsync(ReadOnlyMemory<byte> mime, CancellationToken cancellationToken) =>
        Single(await CallAsync(EwsRequests.SendMime(options.ServerVersion, mime), "CreateItem", cancellationToken, idempotent: false), "CreateItem");
}
