using Mailroom.Core.Storage;

namespace Mailroom.Core.Tests.Sync.Pop3;

/// <summary>
/// <see cref="IPop3Store"/> in memory, with the database's rules: one message per identity in the mailbox, one
/// membership per UID and per remote id in the folder (a conflicting insert is skipped), UIDs never reused.
/// </summary>
internal sealed class MemoryPop3Store : IPop3Store
{
    private const long FolderId = 1;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Id, string Sha)> _identities = [];
    private long _uidNext = 1;

    public SortedDictionary<uint, (long MessageId, string RemoteId, string Sha)> Memberships { get; } = [];

    public int MessageCount => _identities.Count;

    public int SaveCalls { get; private set; }

    public int? RemoteCount { get; private set; }

    public Task<Pop3FolderState> OpenPop3FolderAsync(long mailboxId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var next = Math.Max(_uidNext, Memberships.Count == 0 ? 1 : Memberships.Keys.Max() + 1L);
            return Task.FromResult(new Pop3FolderState(
                FolderId, Memberships.ToDictionary(m => m.Value.RemoteId, m => m.Key), (uint)next, _identities.Count > 0));
        }
    }

    public Task<IReadOnlyList<string>> AttachKnownAsync(long folderId, IReadOnlyList<Pop3KnownMessage> candidates, CancellationToken cancellationToken)
    {
        var attached = new List<string>();
        lock (_gate)
        {
            foreach (var c in candidates)
            {
                if (!_identities.TryGetValue(c.IdentityKey, out var message))
                    continue;
                Insert(c.Uid, message.Id, c.RemoteId, message.Sha);
                attached.Add(c.RemoteId);
            }
        }
        return Task.FromResult<IReadOnlyList<string>>(attached);
    }

    public Task SaveMessagesAsync(long folderId, IReadOnlyList<IngestedMessage> batch, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            SaveCalls++;
            foreach (var m in batch)
            {
                if (!_identities.TryGetValue(m.IdentityKey, out var message))
                    _identities[m.IdentityKey] = message = (_identities.Count + 1, m.RawSha256);
                Insert(m.Fetched.Uid, message.Id, m.Fetched.RemoteId!, m.RawSha256);
            }
        }
        return Task.CompletedTask;
    }

    public Task RemoveRemoteIdsAsync(long folderId, IReadOnlyCollection<string> remoteIds, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Memberships.Count > 0)
                _uidNext = Math.Max(_uidNext, Memberships.Keys.Max() + 1L);
            foreach (var uid in Memberships.Where(m => remoteIds.Contains(m.Value.RemoteId)).Select(m => m.Key).ToList())
                Memberships.Remove(uid);
        }
        return Task.CompletedTask;
    }

    public Task CompletePop3SyncAsync(long folderId, uint uidNext, int remoteCount, DateTimeOffset syncedAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _uidNext = Math.Max(_uidNext, uidNext);
            RemoteCount = remoteCount;
        }
        return Task.CompletedTask;
    }

    private void Insert(uint uid, long messageId, string remoteId, string sha)
    {
        if (!Memberships.ContainsKey(uid) && !Memberships.Values.Any(m => m.RemoteId == remoteId))
            Memberships[uid] = (messageId, remoteId, sha);
    }
}
