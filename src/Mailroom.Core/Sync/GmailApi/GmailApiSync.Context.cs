using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Sync.GmailApi;

public sealed partial class GmailApiSync
{
    /// <summary>One run's session, All Mail, next local UID, label folders resolved so far, and counts.</summary>
    private sealed class Context(long mailboxId, IGmailApiSession session, StoredFolder allMail, uint nextUid, IProgress<SyncProgress>? progress)
    {
        private readonly Dictionary<string, (string Label, long Id)?> _folders = new(StringComparer.Ordinal);
        private Dictionary<string, GmailApiLabel>? _labels;
        private IReadOnlyList<StoredFolder>? _stored;

        public long MailboxId => mailboxId;
        public IGmailApiSession Session => session;
        public StoredFolder AllMail => allMail;
        public IProgress<SyncProgress>? Progress => progress;
        public uint NextUid { get; set; } = nextUid;
        public long Fetched { get; set; }
        public long Bytes { get; set; }
        public long ToFetch { get; set; }
        public long Removed { get; set; }
        public long Recognized { get; set; }

        /// <summary>Set by the caller: the store, to create label folders (set before the first use).</summary>
        public required IGmailLabelStore LabelStore { get; init; }

        public required IMessageStore Store { get; init; }

        /// <summary>The mailbox's labels (users.labels.list once per run; again when a label id is new).</summary>
        public async Task<IReadOnlyCollection<GmailApiLabel>> LabelsAsync(bool refresh, CancellationToken cancellationToken)
        {
            if (_labels is null || refresh)
                _labels = (await session.ListLabelsAsync(cancellationToken)).ToDictionary(l => l.Id, StringComparer.Ordinal);
            return _labels.Values;
        }

        /// <summary>The label folder of a label id, created if missing; null for labels that are no folder.</summary>
        public async Task<(string Label, long Id)?> FolderOfAsync(string labelId, CancellationToken cancellationToken)
        {
            if (_folders.TryGetValue(labelId, out var known))
                return known;
            await LabelsAsync(false, cancellationToken);
            if (!_labels!.ContainsKey(labelId))
                await LabelsAsync(true, cancellationToken);
            (string Label, long Id)? result = null;
            if (_labels.TryGetValue(labelId, out var label))
            {
                _stored ??= await Store.ListFoldersAsync(mailboxId, cancellationToken);
                if (GmailApiLabels.Folder(label, _stored, allMail) is { } folder)
                {
                    var stored = await LabelStore.UpsertLabelFolderAsync(mailboxId, folder.Path, folder.Role, folder.Label, cancellationToken);
                    result = (folder.Label, stored.Id);
                }
            }
            _folders[labelId] = result;
            return result;
        }
    }
}
