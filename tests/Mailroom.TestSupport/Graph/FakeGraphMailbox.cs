namespace Mailroom.TestSupport.Graph;

/// <summary>
/// The state behind <see cref="FakeGraphApi"/>: folders (with a well-known name or none), messages with immutable ids
/// that keep their id across moves, and a change log from which each folder's message delta is computed. A delta token
/// is a position in that log; tokens older than <see cref="ExpireTokensBefore"/> are gone (410), as when Exchange's
/// cache drops them.
/// </summary>
public sealed class FakeGraphMailbox
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, FakeGraphFolder> _folders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeGraphMessage> _messages = new(StringComparer.Ordinal);
    private readonly List<(long Seq, string FolderId, string MessageId)> _log = [];
    private long _seq;
    private int _nextId;

    public FakeGraphMailbox()
    {
        Root = new FakeGraphFolder(NewId("F"), "Top of Information Store", null, null);
        _folders[Root.Id] = Root;
        foreach (var (name, display) in new[] { ("inbox", "Inbox"), ("sentitems", "Sent Items"), ("drafts", "Drafts"), ("archive", "Archive"), ("deleteditems", "Deleted Items"), ("junkemail", "Junk Email") })
            AddFolder(display, Root.Id, name);
    }

    public FakeGraphFolder Root { get; }

    /// <summary>A message changed (message id, changeType created, updated or deleted): what subscriptions notify.</summary>
    public event Action<string, string>? Changed;

    /// <summary>Delta tokens below this log position answer 410 Gone.</summary>
    public long ExpireTokensBefore { get; private set; }

    /// <summary>The current log position.</summary>
    public long Position
    {
        get
        {
            lock (_lock)
                return _seq;
        }
    }

    /// <summary>Messages sent through sendMail (the decoded MIME), in order.</summary>
    public List<byte[]> Sent { get; } = [];

    public FakeGraphFolder AddFolder(string displayName, string? parentId = null, string? wellKnownName = null)
    {
        lock (_lock)
        {
            var folder = new FakeGraphFolder(NewId("F"), displayName, parentId ?? Root.Id, wellKnownName);
            _folders[folder.Id] = folder;
            return folder;
        }
    }

    public FakeGraphFolder Folder(string idOrWellKnownName)
    {
        lock (_lock)
        {
            return _folders.TryGetValue(idOrWellKnownName, out var f) ? f
                : _folders.Values.FirstOrDefault(x => string.Equals(x.WellKnownName, idOrWellKnownName, StringComparison.OrdinalIgnoreCase))
                ?? throw new KeyNotFoundException(idOrWellKnownName);
        }
    }

    public bool TryFolder(string idOrWellKnownName, out FakeGraphFolder? folder)
    {
        try
        {
            folder = Folder(idOrWellKnownName);
            return true;
        }
        catch (KeyNotFoundException)
        {
            folder = null;
            return false;
        }
    }

    public IReadOnlyList<FakeGraphFolder> Folders()
    {
        lock (_lock)
            return [.. _folders.Values.Where(f => f.ParentId is not null)];
    }

    /// <summary>Adds a message to a folder; returns its immutable id.</summary>
    public string Add(string folder, byte[] mime, string conversationId, DateTimeOffset received, bool isRead = false)
    {
        lock (_lock)
        {
            var f = Folder(folder);
            var m = new FakeGraphMessage(NewId("M"), mime, conversationId, received) { FolderId = f.Id, IsRead = isRead };
            _messages[m.Id] = m;
            Log(f.Id, m.Id);
            Changed?.Invoke(m.Id, "created");
            return m.Id;
        }
    }

    /// <summary>Changes a message's read state, flag or categories (a change in its folder's delta).</summary>
    public void Update(string id, bool? isRead = null, bool? flagged = null, IReadOnlyList<string>? categories = null)
    {
        lock (_lock)
        {
            var m = _messages[id];
            m.IsRead = isRead ?? m.IsRead;
            m.Flagged = flagged ?? m.Flagged;
            m.Categories = categories ?? m.Categories;
            Log(m.FolderId, id);
            Changed?.Invoke(id, "updated");
        }
    }

    /// <summary>Moves a message; its immutable id stays. The old folder's delta shows it removed, the new one's added.</summary>
    public void Move(string id, string toFolder)
    {
        lock (_lock)
        {
            var m = _messages[id];
            var from = m.FolderId;
            m.FolderId = Folder(toFolder).Id;
            Log(from, id);
            Log(m.FolderId, id);
            Changed?.Invoke(id, "updated");
        }
    }

    /// <summary>Deletes a message for good (the delta of its folder shows it removed).</summary>
    public void Delete(string id)
    {
        lock (_lock)
        {
            var m = _messages[id];
            _messages.Remove(id);
            Log(m.FolderId, id);
            Changed?.Invoke(id, "deleted");
        }
    }

    /// <summary>
    /// Deletes a folder as Outlook does: it moves, with its messages and child folders, under Deleted Items (which is
    /// not synced); the messages keep their ids.
    /// </summary>
    public void DeleteFolder(string id)
    {
        lock (_lock)
            Folder(id).ParentId = Folder("deleteditems").Id;
    }

    /// <summary>Every delta token given so far stops working (410 Gone).</summary>
    public void ExpireTokens()
    {
        lock (_lock)
            ExpireTokensBefore = ++_seq; // tokens given from now on are good

    }

    public FakeGraphMessage? Message(string id)
    {
        lock (_lock)
            return _messages.GetValueOrDefault(id);
    }

    public IReadOnlyList<FakeGraphMessage> MessagesIn(string folder)
    {
        lock (_lock)
        {
            var id = Folder(folder).Id;
            return [.. _messages.Values.Where(m => m.FolderId == id)];
        }
    }

    /// <summary>
    /// A folder's delta between two log positions, sorted by id (stable across pages): messages changed in it and still
    /// there, and (unless from the start) the ids of those that left it.
    /// </summary>
    internal IReadOnlyList<(string Id, FakeGraphMessage? Current)> Delta(string folderId, long after, long upTo)
    {
        lock (_lock)
        {
            var ids = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var (seq, f, m) in _log)
            {
                if (seq > after && seq <= upTo && f == folderId)
                    ids.Add(m);
            }
            var result = new List<(string, FakeGraphMessage?)>();
            foreach (var id in ids)
            {
                var current = _messages.GetValueOrDefault(id);
                if (current?.FolderId == folderId)
                    result.Add((id, current));
                else if (after > 0)
                    result.Add((id, null));
            }
            return result;
        }
    }

    private void Log(string folderId, string messageId) => _log.Add((++_seq, folderId, messageId));

    // Immutable ids look like Graph's (long base64url); unique per mailbox.
    private string NewId(string kind) =>
        "AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A" + kind + (++_nextId).ToString("D8", System.Globalization.CultureInfo.InvariantCulture) + "AAA=";
}
