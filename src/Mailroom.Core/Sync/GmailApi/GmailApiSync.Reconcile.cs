using Mailroom.Core.Connectors;
using Mailroom.Core.Identity;

namespace Mailroom.Core.Sync.GmailApi;

public sealed partial class GmailApiSync
{
    /// <summary>
    /// Brings the store in step with the server's list without a usable history: a first sync, an expired history id, a
    /// mailbox that IMAP synced before. The history id comes first, so that changes made while listing are replayed
    /// by the next incremental sync. Messages the store holds by identity are never downloaded again.
    /// </summary>
    private async Task ReconcileAsync(Context context, CancellationToken cancellationToken)
    {
        var profile = await context.Session.GetProfileAsync(cancellationToken);
        var listed = await ListAllAsync(context, null, cancellationToken);
        var keys = new Dictionary<string, string>(listed.Count, StringComparer.Ordinal); // identity key → API id
        foreach (var id in listed)
        {
            if (GmailIds.FromApi(id) is { } number)
                keys.TryAdd(GmailIds.IdentityKey(number), id);
        }

        // Gone from the server (or into Spam or Trash): out of All Mail and every label.
        var gone = new List<uint>();
        var inFolder = new Dictionary<string, uint>(StringComparer.Ordinal); // API id → UID
        foreach (var (uid, key) in await api.ListFolderIdentitiesAsync(context.AllMail.Id, cancellationToken))
        {
            if (keys.TryGetValue(key, out var id))
                inFolder[id] = uid;
            else
                gone.Add(uid);
        }

        // The labels of messages already stored: one list per label, not one request per message.
        Dictionary<string, List<string>>? labelsById = null;
        if (await store.HasMessagesAsync(context.MailboxId, cancellationToken))
            labelsById = await ListLabelMembersAsync(context, cancellationToken);
        IReadOnlyList<string> LabelsOf(string id) => labelsById is not null && labelsById.TryGetValue(id, out var l) ? l : [];

        var current = inFolder.ToDictionary(p => p.Value, p => LabelsOf(p.Key));
        await ApplyAsync(context, current, gone, null, null, cancellationToken);

        var missing = listed.Where(id => !inFolder.ContainsKey(id) && GmailIds.FromApi(id) is not null).Distinct(StringComparer.Ordinal).ToList();
        for (var start = 0; start < missing.Count; start += ReconcileChunk)
        {
            var chunk = missing.GetRange(start, Math.Min(ReconcileChunk, missing.Count - start));
            var labels = new Dictionary<uint, IReadOnlyList<string>>();
            await AddAsync(context, chunk, labels, LabelsOf, cancellationToken);
            await ApplyAsync(context, labels, [], null, null, cancellationToken);
        }

        await api.ApplyGmailChangesAsync(
            new Storage.GmailApiChanges(context.AllMail.Id, [], [], [], [], profile.HistoryId, listed.Count), cancellationToken);
    }

    /// <summary>Every id users.messages.list gives (of one label, or of the mailbox outside Spam and Trash), newest first.</summary>
    private static async Task<List<string>> ListAllAsync(Context context, string? labelId, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = await context.Session.ListMessagesAsync(labelId, token, cancellationToken);
            ids.AddRange(page.Ids);
            token = page.NextPageToken;
        }
        while (token is not null);
        return ids;
    }

    /// <summary>The label ids of each listed message, from one listing per label that is a folder or a flag.</summary>
    private static async Task<Dictionary<string, List<string>>> ListLabelMembersAsync(Context context, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var label in await context.LabelsAsync(false, cancellationToken))
        {
            if (label.Id != GmailApiLabels.Unread && await context.FolderOfAsync(label.Id, cancellationToken) is null)
                continue;
            foreach (var id in await ListAllAsync(context, label.Id, cancellationToken))
            {
                if (!result.TryGetValue(id, out var list))
                    result[id] = list = [];
                list.Add(label.Id);
            }
        }
        return result;
    }
}
