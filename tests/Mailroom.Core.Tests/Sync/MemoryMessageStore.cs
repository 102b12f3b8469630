using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Tests.Sync;

/// <summary>A store in memory with the same uniqueness rules as the database (identity per mailbox, UID per folder).</summary>
internal sealed class MemoryMessageStore : IMessageStore
{
    private readonly Lock _gate = new();
    private readonly List<StoredFolder> _folders = [];
    private readonly Dictionary<long, Dictionary<uint, StoredMembership>> _memberships = [];
    private readonly Dictionary<string, long> _identities = [];
    private readonly Dictionary<string, byte[]> _raw = [];
    private readonly Dictionary<long, StoredCopy> _copies = [];
    private long _nextFolderId = 1;

    /// <summary>The last error recorded per folder path.</summary>
    public Dictionary<string, string> FolderErrors { get; } = [];

    public int SaveCalls { get; private set; }

    /// <summary>Throws this on the given 1-based call of <see cref="SaveMessagesAsync"/>.</summary>
    public (int Call, Exception Error)? FailSave { get; set; }

    public int MessageCount => _identities.Count;

    public Task<IReadOnlyList<StoredFolder>> ListFoldersAsync(long mailboxId, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<StoredFolder>>([.. _folders]);
    }

    public Task<StoredFolder> UpsertFolderAsync(long mailboxId, RemoteFolder folder, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var existing = _folders.FindIndex(f => f.Path == folder.Path);
            if (existing >= 0)
                return Task.FromResult(_folders[existing] = _folders[existing] with { Role = folder.Role });
            var created = new StoredFolder(_nextFolderId++, mailboxId, folder.Path, folder.Role, null, null, null, null);
            _folders.Add(created);
            _memberships[created.Id] = [];
            return Task.FromResult(created);
        }
    }

    public Task ResetFolderAsync(long folderId, uint uidValidity, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _memberships[folderId].Clear();
            Replace(folderId, f => f with { UidValidity = uidValidity, UidNext = null, HighestModSeq = null });
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<uint, StoredMembership>> GetMembershipsAsync(long folderId, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyDictionary<uint, StoredMembership>>(new Dictionary<uint, StoredMembership>(_memberships[folderId]));
    }

    public Task<IReadOnlyDictionary<uint, StoredMembership>> GetMembershipsAsync(
        long folderId, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyDictionary<uint, StoredMembership>>(
                _memberships[folderId].Where(m => uids.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value));
        }
    }

    public Task<int> CountMembershipsAsync(long folderId, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult(_memberships[folderId].Count);
    }

    public Task SaveMessagesAsync(long folderId, IReadOnlyList<IngestedMessage> batch, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            SaveCalls++;
            if (FailSave is { } fail && fail.Call == SaveCalls)
                throw fail.Error;
            foreach (var m in batch)
            {
                _raw.TryAdd(m.RawSha256, m.Fetched.Raw.ToArray());
                if (!_identities.TryGetValue(m.IdentityKey, out var id))
                {
                    _identities[m.IdentityKey] = id = _identities.Count + 1;
                    if (m.Message.MessageId is { } header)
                        _copies[id] = new StoredCopy(id, header, m.RawSha256, m.Fetched.Raw.Length);
                }
                _memberships[folderId].TryAdd(m.Fetched.Uid, new StoredMembership(id, m.Fetched.Uid, m.Fetched.Flags, m.Fetched.Keywords, m.RawSha256));
            }
        }
        return Task.CompletedTask;
    }

    public Task UpdateFlagsAsync(long folderId, IReadOnlyList<RemoteMessageState> states, CancellationToken cancellationToken)
    {
        lock (_gate)
            foreach (var s in states)
                _memberships[folderId][s.Uid] = _memberships[folderId][s.Uid] with { Flags = s.Flags, Keywords = s.Keywords };
        return Task.CompletedTask;
    }

    public Task RemoveMembershipsAsync(long folderId, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken)
    {
        lock (_gate)
            foreach (var uid in uids)
                _memberships[folderId].Remove(uid);
        return Task.CompletedTask;
    }

    public Task CompleteFolderSyncAsync(long folderId, FolderStatus status, DateTimeOffset syncedAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Replace(folderId, f => f with { UidNext = status.UidNext, HighestModSeq = status.HighestModSeq, LastSyncedAt = syncedAt });
            FolderErrors.Remove(_folders.Single(f => f.Id == folderId).Path);
        }
        return Task.CompletedTask;
    }

    public Task RecordFolderErrorAsync(long mailboxId, string path, string message, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_gate)
            FolderErrors[path] = message;
        return Task.CompletedTask;
    }

    public Task RemoveFolderAsync(long folderId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _folders.RemoveAll(f => f.Id == folderId);
            _memberships.Remove(folderId);
        }
        return Task.CompletedTask;
    }

    public Task<bool> HasMessagesAsync(long mailboxId, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult(_identities.Count > 0);
    }

    public Task<IReadOnlyList<StoredCopy>> FindCopiesAsync(long mailboxId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<StoredCopy>>([.. _copies.Values.Where(c => messageIds.Contains(c.MessageIdHeader))]);
    }

    public Task AddMembershipsAsync(long folderId, IReadOnlyList<StoredMembership> memberships, CancellationToken cancellationToken)
    {
        lock (_gate)
            foreach (var m in memberships)
                _memberships[folderId].TryAdd(m.Uid, m);
        return Task.CompletedTask;
    }

    public Task<byte[]?> GetRawAsync(string sha256, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult(_raw.GetValueOrDefault(sha256));
    }

    private void Replace(long folderId, Func<StoredFolder, StoredFolder> change)
    {
        var i = _folders.FindIndex(f => f.Id == folderId);
        _folders[i] = change(_folders[i]);
    }
}
