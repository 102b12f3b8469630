using System.Text;

namespace Mailroom.TestSupport.Ews;

/// <summary>
/// The state behind <see cref="FakeEwsServer"/>: a folder tree under msgfolderroot and items with ids and change keys,
/// and a change log from which SyncFolderItems and SyncFolderHierarchy answer "what changed since this sync state".
/// Like Exchange, a move gives the item a new ItemId (a Delete in the old folder, a Create in the new one). Thread-safe.
/// </summary>
public sealed class FakeEwsMailbox
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Folder> _folders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Item> _items = new(StringComparer.Ordinal);
    private readonly List<LogEntry> _log = [];
    private readonly List<(long Seq, string FolderId, char Kind)> _folderLog = [];
    private long _seq;
    private long _ids;
    private int _epoch = 1;

    public sealed record Folder(string Id, string ParentId, string DisplayName, string FolderClass, string? Distinguished);

    public sealed class Item
    {
        public required string Id { get; set; }
        public required int Version { get; set; }
        public required string FolderId { get; set; }
        public required byte[] Mime { get; init; }
        public required bool IsRead { get; set; }
        public required string? InternetMessageId { get; init; }
        public required string ConversationId { get; init; }
        public required DateTimeOffset Received { get; init; }
        public string ChangeKey => Convert.ToBase64String(Encoding.ASCII.GetBytes($"CQAAABYA{Id}:{Version}"));
    }

    /// <summary>Kinds: A added to the folder, R removed from it, M modified, F read flag changed.</summary>
    private sealed record LogEntry(long Seq, string FolderId, string ItemId, char Kind);

    public FakeEwsMailbox(bool withArchive = true)
    {
        Root = NewId("F");
        foreach (var (name, display, cls) in new[]
        {
            ("inbox", "Posteingang", "IPF.Note"), ("sentitems", "Gesendete Elemente", "IPF.Note"), ("drafts", "Entwürfe", "IPF.Note"),
            ("deleteditems", "Gelöschte Elemente", "IPF.Note"), ("junkemail", "Junk-E-Mail", "IPF.Note"),
            ("calendar", "Kalender", "IPF.Appointment"), ("contacts", "Kontakte", "IPF.Contact"),
        })
            AddFolder(Root, display, cls, name);
        if (withArchive)
            AddFolder(Root, "Archiv", "IPF.Note", "archive");
    }

    /// <summary>Grows with every change of an item or a folder: what streaming notifications watch.</summary>
    public long Sequence
    {
        get
        {
            lock (_gate)
                return _seq;
        }
    }

    /// <summary>The id of msgfolderroot (never reported as a folder itself).</summary>
    public string Root { get; }

    public string FolderId(string distinguished)
    {
        lock (_gate)
            return _folders.Values.Single(f => f.Distinguished == distinguished).Id;
    }

    public string? TryFolderId(string distinguished)
    {
        lock (_gate)
            return _folders.Values.SingleOrDefault(f => f.Distinguished == distinguished)?.Id;
    }

    public string AddFolder(string parentId, string displayName, string folderClass = "IPF.Note", string? distinguished = null)
    {
        lock (_gate)
        {
            var folder = new Folder(NewId("F"), parentId, displayName, folderClass, distinguished);
            _folders[folder.Id] = folder;
            _folderLog.Add((++_seq, folder.Id, 'A'));
            return folder.Id;
        }
    }

    /// <summary>Renames a folder: an Update in SyncFolderHierarchy.</summary>
    public void RenameFolder(string folderId, string displayName)
    {
        lock (_gate)
        {
            _folders[folderId] = _folders[folderId] with { DisplayName = displayName };
            _folderLog.Add((++_seq, folderId, 'U'));
        }
    }

    /// <summary>Deletes a folder and its items: a Delete in SyncFolderHierarchy.</summary>
    public void DeleteFolder(string folderId)
    {
        lock (_gate)
        {
            _folders.Remove(folderId);
            foreach (var item in _items.Values.Where(i => i.FolderId == folderId).ToList())
                _items.Remove(item.Id);
            _folderLog.Add((++_seq, folderId, 'D'));
        }
    }

    /// <summary>A new message in <paramref name="folderId"/>; returns its ItemId.</summary>
    public string Deliver(string folderId, byte[] mime, bool isRead = false, string? conversationId = null)
    {
        lock (_gate)
        {
            var item = new Item
            {
                Id = NewId("AAMk"), Version = 1, FolderId = folderId, Mime = mime, IsRead = isRead,
                InternetMessageId = MessageIdOf(mime), ConversationId = conversationId ?? NewId("AAQk"), Received = DateTimeOffset.UtcNow,
            };
            _items[item.Id] = item;
            _log.Add(new LogEntry(++_seq, folderId, item.Id, 'A'));
            return item.Id;
        }
    }

    /// <summary>Moves an item; as in Exchange it gets a new ItemId, which is returned.</summary>
    public string Move(string itemId, string toFolderId)
    {
        lock (_gate)
        {
            var item = _items[itemId];
            _items.Remove(itemId);
            _log.Add(new LogEntry(++_seq, item.FolderId, itemId, 'R'));
            item.Id = NewId("AAMk");
            item.FolderId = toFolderId;
            item.Version++;
            _items[item.Id] = item;
            _log.Add(new LogEntry(++_seq, toFolderId, item.Id, 'A'));
            return item.Id;
        }
    }

    public void Delete(string itemId)
    {
        lock (_gate)
        {
            var item = _items[itemId];
            _items.Remove(itemId);
            _log.Add(new LogEntry(++_seq, item.FolderId, itemId, 'R'));
        }
    }

    public void SetRead(string itemId, bool isRead)
    {
        lock (_gate)
        {
            var item = _items[itemId];
            item.IsRead = isRead;
            item.Version++;
            _log.Add(new LogEntry(++_seq, item.FolderId, itemId, 'F'));
        }
    }

    /// <summary>A change other than the read flag (categories, flags): an Update with a new change key.</summary>
    public void Touch(string itemId)
    {
        lock (_gate)
        {
            var item = _items[itemId];
            item.Version++;
            _log.Add(new LogEntry(++_seq, item.FolderId, itemId, 'M'));
        }
    }

    /// <summary>Every sync state handed out so far becomes invalid (ErrorInvalidSyncStateData), as after a mailbox move.</summary>
    public void InvalidateSyncStates()
    {
        lock (_gate)
            _epoch++;
    }

    public Item? Find(string itemId)
    {
        lock (_gate)
            return _items.GetValueOrDefault(itemId);
    }

    public IReadOnlyList<Item> ItemsIn(string folderId)
    {
        lock (_gate)
            return _items.Values.Where(i => i.FolderId == folderId).OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<Folder> Folders()
    {
        lock (_gate)
            return [.. _folders.Values];
    }

    /// <summary>
    /// The changes of <paramref name="folderId"/> after <paramref name="syncState"/>, each item's changes folded into one,
    /// at most <paramref name="max"/>; null when the state is not one this mailbox gave for this folder.
    /// </summary>
    public (string SyncState, bool Last, IReadOnlyList<(char Kind, Item? Item, string ItemId)> Changes)? ItemChanges(string folderId, string? syncState, int max)
    {
        lock (_gate)
        {
            if (!TryState(syncState, "I" + folderId, out var since))
                return null;
            var perItem = _log.Where(e => e.FolderId == folderId && e.Seq > since).GroupBy(e => e.ItemId)
                .Select(g => (First: g.First(), Final: g.Last(), All: g.ToList())).OrderBy(g => g.Final.Seq).ToList();
            var changes = new List<(char, Item?, string)>();
            var upTo = since;
            var taken = 0;
            foreach (var (first, final, all) in perItem)
            {
                if (taken == max)
                    break;
                taken++;
                upTo = final.Seq;
                var wasThere = first.Kind != 'A';
                var item = _items.GetValueOrDefault(first.ItemId);
                var isThere = item is not null && item.FolderId == folderId;
                char? kind = (wasThere, isThere) switch
                {
                    (false, true) => 'C',
                    (true, false) => 'D',
                    (true, true) => all.All(e => e.Kind == 'F') ? 'F' : 'U',
                    _ => null,
                };
                if (kind is { } k)
                    changes.Add((k, isThere ? item : null, first.ItemId));
            }
            var complete = taken == perItem.Count;
            return (State("I" + folderId, complete ? _seq : upTo), complete, changes);
        }
    }

    /// <summary>
    /// Folders created (C), changed (U) or deleted (D) after <paramref name="syncState"/>, each folder's changes folded
    /// into one; null when the state is not this mailbox's.
    /// </summary>
    public (string SyncState, IReadOnlyList<(char Kind, string FolderId, Folder? Folder)> Changes)? FolderChanges(string? syncState)
    {
        lock (_gate)
        {
            if (!TryState(syncState, "H", out var since))
                return null;
            var changes = new List<(char, string, Folder?)>();
            foreach (var entries in _folderLog.Where(e => e.Seq > since).GroupBy(e => e.FolderId))
            {
                var created = entries.First().Kind == 'A';
                var exists = _folders.TryGetValue(entries.Key, out var folder);
                if (exists)
                    changes.Add((created ? 'C' : 'U', entries.Key, folder));
                else if (!created)
                    changes.Add(('D', entries.Key, null));
            }
            return (State("H", _seq), changes);
        }
    }

    private string State(string scope, long seq) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_epoch}|{scope}|{seq}"));

    private bool TryState(string? state, string scope, out long since)
    {
        since = 0;
        if (state is null)
            return true;
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(state)).Split('|');
            return parts.Length == 3 && parts[0] == _epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)
                && parts[1] == scope && long.TryParse(parts[2], out since);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private string NewId(string prefix) => Convert.ToBase64String(Encoding.ASCII.GetBytes($"{prefix}{++_ids:D8}"));

    private static string? MessageIdOf(byte[] mime)
    {
        var text = Encoding.UTF8.GetString(mime);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        foreach (var line in (end < 0 ? text : text[..end]).Split("\r\n"))
        {
            if (line.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase))
                return line["Message-ID:".Length..].Trim();
        }
        return null;
    }
}
