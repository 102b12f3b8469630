using System.Globalization;
using System.Text.Json;
using Mailroom.Core.Connectors;
using Mailroom.Core.Events;

namespace Mailroom.Storage.Ingest;

/// <summary>
/// The message events of the store's write paths, built from what the statements returned (RETURNING), so each path
/// costs at most one extra look-up: message.created for inserted rows, message.updated when flags change or a folder
/// is gained or lost, message.deleted when a message's last folder lets it go.
/// </summary>
internal static class MessageEvents
{
    /// <summary>The mailbox and organization of a folder.</summary>
    public static async Task<(long MailboxId, long OrganizationId)> OwnerOfFolderAsync(BatchSql sql, long folderId, CancellationToken cancellationToken)
    {
        (long, long)? owner = null;
        await sql.QueryAsync(
            "SELECT f.mailbox_id, mb.organization_id FROM folders f JOIN mailboxes mb ON mb.id = f.mailbox_id WHERE f.id = @p0",
            [folderId], reader => owner = (reader.GetInt64(0), reader.GetInt64(1)), cancellationToken);
        return owner ?? throw new InvalidOperationException($"Folder {folderId} does not exist.");
    }

    public static void Created(PendingEvents events, long organizationId, long mailboxId, long folderId, long messageId, long threadId, IngestedMessage item) =>
        events.Add(organizationId, EventTypes.MessageCreated, PendingEvents.Json(w =>
        {
            w.WriteNumber("mailboxId", mailboxId);
            w.WriteNumber("messageId", messageId);
            w.WriteNumber("threadId", threadId);
            w.WriteNumber("folderId", folderId);
            w.WriteNumber("uid", item.Fetched.Uid);
            WriteOrNull(w, "messageIdHeader", StoredText.CleanOrNull(item.Message.MessageId));
            WriteOrNull(w, "subject", StoredText.CleanOrNull(item.Message.Subject));
            WriteOrNull(w, "from", item.Message.From.Count == 0 ? null : StoredText.Clean(item.Message.From[0].Address));
            if (item.Message.Date is { } date)
                w.WriteString("date", date.ToUniversalTime());
            else
                w.WriteNull("date");
            WriteFlags(w, item.Fetched.Flags, item.Fetched.Keywords);
        }), mailboxId: mailboxId, messageId: messageId, threadId: threadId);

    public static void FlagsChanged(
        PendingEvents events, long organizationId, long mailboxId, long folderId, long messageId, long uid, MessageFlags flags, IReadOnlyList<string> keywords) =>
        events.Add(organizationId, EventTypes.MessageUpdated, PendingEvents.Json(w =>
        {
            w.WriteNumber("mailboxId", mailboxId);
            w.WriteNumber("messageId", messageId);
            w.WriteString("change", "flags");
            w.WriteNumber("folderId", folderId);
            w.WriteNumber("uid", uid);
            WriteFlags(w, flags, keywords);
        }), mailboxId: mailboxId, messageId: messageId);

    /// <summary>message.updated for messages already stored that gained a membership in <paramref name="folderId"/>.</summary>
    public static void FolderAdded(PendingEvents events, long organizationId, long mailboxId, long folderId, IEnumerable<long> messageIds)
    {
        foreach (var id in messageIds.Where(id => id != 0).Distinct())
        {
            events.Add(organizationId, EventTypes.MessageUpdated, PendingEvents.Json(w =>
            {
                w.WriteNumber("mailboxId", mailboxId);
                w.WriteNumber("messageId", id);
                w.WriteString("change", "folders");
                w.WriteNumber("addedFolderId", folderId);
            }), mailboxId: mailboxId, messageId: id);
        }
    }

    /// <summary>
    /// For messages that lost their membership in <paramref name="folderId"/>: message.updated when another folder of
    /// the mailbox still holds them, message.deleted when none does (the message row stays, for re-matching).
    /// </summary>
    public static async Task FolderRemovedAsync(
        BatchSql sql, PendingEvents events, long organizationId, long mailboxId, long folderId, IEnumerable<long> messageIds,
        CancellationToken cancellationToken)
    {
        var ids = messageIds.Where(id => id != 0).Distinct().Order().ToList();
        if (ids.Count == 0)
            return;
        var remaining = new HashSet<long>();
        await sql.QueryInChunksAsync(
            "SELECT DISTINCT message_id FROM folder_memberships WHERE message_id IN ({0})", [], ids,
            reader => remaining.Add(reader.GetInt64(0)), cancellationToken);
        foreach (var id in ids)
        {
            var kept = remaining.Contains(id);
            events.Add(organizationId, kept ? EventTypes.MessageUpdated : EventTypes.MessageDeleted, PendingEvents.Json(w =>
            {
                w.WriteNumber("mailboxId", mailboxId);
                w.WriteNumber("messageId", id);
                if (kept)
                    w.WriteString("change", "folders");
                w.WriteNumber("removedFolderId", folderId);
            }), mailboxId: mailboxId, messageId: id);
        }
    }

    /// <summary>Deletes every membership of the folder, with the events of what it removed.</summary>
    public static Task DeleteAllMembershipsAsync(BatchSql sql, PendingEvents events, long folderId, CancellationToken cancellationToken) =>
        DeleteMembershipsAsync<long>(
            sql, events, folderId, "DELETE FROM folder_memberships WHERE folder_id = @p0 RETURNING message_id", [folderId], null, cancellationToken);

    /// <summary>Deletes the folder's memberships of these UIDs, with the events of what it removed.</summary>
    public static Task DeleteMembershipsByUidAsync(
        BatchSql sql, PendingEvents events, long folderId, IReadOnlyList<long> uids, CancellationToken cancellationToken) =>
        DeleteMembershipsAsync(
            sql, events, folderId, "DELETE FROM folder_memberships WHERE folder_id = @p0 AND uid IN ({0}) RETURNING message_id", [folderId],
            uids, cancellationToken);

    /// <summary>Deletes the folder's memberships of these remote ids (POP3 UIDLs), with the events of what it removed.</summary>
    public static Task DeleteMembershipsByRemoteIdAsync(
        BatchSql sql, PendingEvents events, long folderId, IReadOnlyList<string> remoteIds, CancellationToken cancellationToken) =>
        DeleteMembershipsAsync(
            sql, events, folderId, "DELETE FROM folder_memberships WHERE folder_id = @p0 AND remote_id IN ({0}) RETURNING message_id", [folderId],
            remoteIds, cancellationToken);

    /// <summary>Runs a DELETE of memberships whose statement returns <c>message_id</c>, and adds the events of what it removed.</summary>
    private static async Task DeleteMembershipsAsync<TKey>(
        BatchSql sql, PendingEvents events, long folderId, string deleteReturningMessageId, IReadOnlyList<object?> fixedValues,
        IReadOnlyList<TKey>? keys, CancellationToken cancellationToken)
    {
        var removed = new List<long>();
        if (keys is null)
            await sql.QueryAsync(deleteReturningMessageId, fixedValues, reader => removed.Add(reader.GetInt64(0)), cancellationToken);
        else
            await sql.QueryInChunksAsync(deleteReturningMessageId, fixedValues, keys, reader => removed.Add(reader.GetInt64(0)), cancellationToken);
        if (removed.Count == 0)
            return;
        var (mailboxId, organizationId) = await OwnerOfFolderAsync(sql, folderId, cancellationToken);
        await FolderRemovedAsync(sql, events, organizationId, mailboxId, folderId, removed, cancellationToken);
    }

    private static void WriteFlags(Utf8JsonWriter w, MessageFlags flags, IReadOnlyList<string> keywords)
    {
        w.WriteStartArray("flags");
        foreach (var flag in Enum.GetValues<MessageFlags>())
        {
            if (flag != MessageFlags.None && flags.HasFlag(flag))
                w.WriteStringValue(flag.ToString().ToLower(CultureInfo.InvariantCulture));
        }
        w.WriteEndArray();
        w.WriteStartArray("keywords");
        foreach (var k in keywords)
            w.WriteStringValue(k);
        w.WriteEndArray();
    }

    private static void WriteOrNull(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
            w.WriteNull(name);
        else
            w.WriteString(name, value);
    }
}
