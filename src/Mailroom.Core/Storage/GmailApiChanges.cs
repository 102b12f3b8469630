using Mailroom.Core.Connectors;

namespace Mailroom.Core.Storage;

/// <summary>What one Gmail API sync step changes in the store, written in one transaction with its checkpoint.</summary>
/// <param name="Removed">All Mail UIDs of messages deleted, trashed or marked spam: gone from every folder.</param>
/// <param name="Flags">New flags of All Mail memberships (UNREAD, STARRED, DRAFT), mirrored to their label copies.</param>
/// <param name="HistoryId">The history id the store is in step with after these changes; null keeps the checkpoint.</param>
/// <param name="RemoteCount">The number of messages the server listed, when known.</param>
public sealed record GmailApiChanges(
    long AllMailFolderId,
    IReadOnlyCollection<uint> Removed,
    IReadOnlyCollection<GmailLabelMembership> AddLabels,
    IReadOnlyCollection<GmailLabelMembership> RemoveLabels,
    IReadOnlyList<RemoteMessageState> Flags,
    ulong? HistoryId,
    int? RemoteCount);
