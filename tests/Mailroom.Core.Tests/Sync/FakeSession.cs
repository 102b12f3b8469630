using System.Text;
using Mailroom.Core.Connectors;
using Mailroom.Core.Sync;

namespace Mailroom.Core.Tests.Sync;

/// <summary>An in-memory mailbox behind <see cref="IMailboxSession"/>, for the sync engine's own logic.</summary>
internal sealed class FakeSession : IMailboxSession
{
    private string? _open;

    public Dictionary<string, (uint UidValidity, SortedDictionary<uint, (MessageFlags Flags, byte[] Raw)> Messages, FolderRole Role)> Folders { get; } = [];

    /// <summary>Throws this after that many bodies have been delivered in this session.</summary>
    public (int After, Exception Error)? FailFetch { get; set; }

    public IReadOnlySet<string> Capabilities => ModSeq.Count > 0 ? new HashSet<string> { "CONDSTORE" } : new HashSet<string>();

    public ChangeTracking ChangeTracking =>
        ModSeq.Count == 0 ? ChangeTracking.None : QResync ? ChangeTracking.QResync : ChangeTracking.CondStore;

    /// <summary>Plays a server with QRESYNC enabled: CHANGEDSINCE also names expunged UIDs (see <see cref="Expunge"/>).</summary>
    public bool QResync { get; set; }

    public bool WatchesAllFolders { get; set; }

    /// <summary>UIDs expunged with <see cref="Expunge"/>, with the mod-sequence of their expunge.</summary>
    public Dictionary<string, List<(uint Uid, ulong ModSeq)>> Expunged { get; } = [];

    /// <summary>How many messages had their size and Message-ID fetched.</summary>
    public int SummariesFetched { get; private set; }

    /// <summary>Per-message mod-sequence (default 1) for CHANGEDSINCE.</summary>
    public Dictionary<(string Folder, uint Uid), ulong> MessageModSeq { get; } = [];

    /// <summary>How many UID SEARCH ALL were sent.</summary>
    public int Searches { get; private set; }

    /// <summary>HIGHESTMODSEQ per folder when the fake plays a CONDSTORE server; null otherwise.</summary>
    public Dictionary<string, ulong> ModSeq { get; } = [];

    /// <summary>How many times the flags of a whole folder were fetched.</summary>
    public int StateFetches { get; private set; }

    public SessionCounters Counters { get; } = new();

    public void Add(string folder, uint uid, string messageId, MessageFlags flags = MessageFlags.None, FolderRole role = FolderRole.None)
    {
        if (!Folders.TryGetValue(folder, out var f))
            Folders[folder] = f = (1, new SortedDictionary<uint, (MessageFlags, byte[])>(), role);
        var raw = Encoding.ASCII.GetBytes(
            $"From: a@example.org\r\nTo: b@example.org\r\nSubject: {messageId}\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n" +
            $"Message-ID: <{messageId}@example.org>\r\n\r\nbody {messageId}\r\n");
        f.Messages[uid] = (flags, raw);
    }

    public Task<IReadOnlyList<RemoteFolder>> ListFoldersAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RemoteFolder>>([.. Folders.Select(f => new RemoteFolder(f.Key, '/', f.Value.Role, true))]);

    /// <summary>Folders whose SELECT the server refuses (NO).</summary>
    public HashSet<string> RefuseOpen { get; } = [];

    public Task<FolderStatus> OpenFolderAsync(string path, CancellationToken cancellationToken)
    {
        if (RefuseOpen.Contains(path))
            throw new ConnectorException(ConnectorErrorKind.CommandFailed, $"SELECT {path}: NO Mailbox is locked");
        var f = Folders[path];
        _open = path;
        var next = f.Messages.Count == 0 ? 1 : f.Messages.Keys.Max() + 1;
        return Task.FromResult(new FolderStatus(f.UidValidity, next, ModSeq.TryGetValue(path, out var m) ? m : null, f.Messages.Count));
    }

    public Task<IReadOnlyList<RemoteMessageState>> FetchStatesAsync(CancellationToken cancellationToken)
    {
        StateFetches++;
        return Task.FromResult<IReadOnlyList<RemoteMessageState>>(
            [.. Folders[_open!].Messages.Select(m => new RemoteMessageState(m.Key, m.Value.Flags, []))]);
    }

    /// <summary>Removes a message as an expunge at <paramref name="modSeq"/> would, raising the folder's HIGHESTMODSEQ.</summary>
    public void Expunge(string folder, uint uid, ulong modSeq)
    {
        Folders[folder].Messages.Remove(uid);
        if (!Expunged.TryGetValue(folder, out var list))
            Expunged[folder] = list = [];
        list.Add((uid, modSeq));
        ModSeq[folder] = Math.Max(ModSeq.GetValueOrDefault(folder), modSeq);
    }

    public Task<FolderChanges> FetchChangesAsync(ulong changedSince, CancellationToken cancellationToken)
    {
        RemoteMessageState[] changed =
            [.. Folders[_open!].Messages
                .Where(m => MessageModSeq.GetValueOrDefault((_open!, m.Key), 1UL) > changedSince)
                .Select(m => new RemoteMessageState(m.Key, m.Value.Flags, []))];
        uint[]? vanished = QResync
            ? [.. Expunged.GetValueOrDefault(_open!, []).Where(e => e.ModSeq > changedSince).Select(e => e.Uid)]
            : null;
        return Task.FromResult(new FolderChanges(changed, vanished));
    }

    public Task<IReadOnlyList<RemoteMessageSummary>> FetchSummariesAsync(IReadOnlyList<uint> uids, CancellationToken cancellationToken)
    {
        var result = new List<RemoteMessageSummary>();
        foreach (var uid in uids)
        {
            if (!Folders[_open!].Messages.TryGetValue(uid, out var m))
                continue;
            SummariesFetched++;
            var id = MimeKit.MimeMessage.Load(new MemoryStream(m.Raw), cancellationToken).MessageId;
            result.Add(new RemoteMessageSummary(uid, m.Flags, [], null, m.Raw.Length, id));
        }
        return Task.FromResult<IReadOnlyList<RemoteMessageSummary>>(result);
    }

    public Task<IReadOnlyList<uint>> SearchUidsAsync(CancellationToken cancellationToken)
    {
        Searches++;
        return Task.FromResult<IReadOnlyList<uint>>([.. Folders[_open!].Messages.Keys]);
    }

    /// <summary>INTERNALDATE day per message (default 2026-03-02).</summary>
    public Dictionary<(string Folder, uint Uid), DateOnly> Received { get; } = [];

    public Task<IReadOnlyList<uint>> SearchUidsSinceAsync(DateOnly since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<uint>>(
            [.. Folders[_open!].Messages.Keys.Where(uid => Received.GetValueOrDefault((_open!, uid), new DateOnly(2026, 3, 2)) >= since)]);

    /// <summary>Released by a test to play the server announcing a change during IDLE.</summary>
    public SemaphoreSlim Changes { get; } = new(0);

    /// <summary>Folders a released <see cref="Changes"/> announces; empty means the folder waited in.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Announced { get; } = new();

    public async Task<IReadOnlySet<string>> WaitForChangesAsync(string folder, TimeSpan maxDuration, CancellationToken cancellationToken)
    {
        _open = folder;
        if (!await Changes.WaitAsync(maxDuration, cancellationToken))
            return new HashSet<string>();
        var announced = new HashSet<string>();
        while (Announced.TryDequeue(out var path))
            announced.Add(path);
        return announced.Count > 0 ? announced : new HashSet<string> { folder };
    }

    public async Task FetchMessagesAsync(
        IReadOnlyList<uint> uids, Func<FetchedMessage, CancellationToken, ValueTask> onMessage, CancellationToken cancellationToken)
    {
        foreach (var uid in uids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (FailFetch is { } fail && Counters.BodiesFetched >= fail.After)
                throw fail.Error;
            if (!Folders[_open!].Messages.TryGetValue(uid, out var m))
                continue;
            Counters.AddBody(m.Raw.Length);
            await onMessage(new FetchedMessage(uid, m.Flags, [], null, m.Raw), cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
