using System.Globalization;

namespace Mailroom.TestSupport.Gmail;

/// <summary>
/// The state behind <see cref="FakeGmailApi"/>: messages (raw MIME, labels, internal date, Gmail ids), user labels,
/// and a history whose id grows with every change, as Gmail's does. Thread-safe; tests change it between syncs.
/// </summary>
public sealed class FakeGmailMailbox
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Message> _messages = new(StringComparer.Ordinal);
    private readonly List<HistoryRecord> _history = [];
    private readonly Dictionary<string, string> _userLabels = new(StringComparer.Ordinal); // id → name
    private ulong _historyId = 1000;
    private ulong _oldestHistory = 1000;

    public string EmailAddress { get; init; } = "mr12@mailroom.test";

    public static readonly string[] SystemLabels =
        ["INBOX", "SENT", "DRAFT", "SPAM", "TRASH", "UNREAD", "STARRED", "IMPORTANT", "CHAT", "CATEGORY_PERSONAL", "CATEGORY_SOCIAL", "CATEGORY_PROMOTIONS", "CATEGORY_UPDATES", "CATEGORY_FORUMS"];

    public sealed record Message(string Id, string ThreadId, byte[] Raw, DateTimeOffset InternalDate, HashSet<string> Labels);

    public sealed record HistoryRecord(ulong Id, string Kind, string MessageId, string ThreadId, string[] LabelIds, string[] Changed);

    public ulong HistoryId { get { lock (_gate) return _historyId; } }

    public int Count { get { lock (_gate) return _messages.Count; } }

    public string AddLabel(string name)
    {
        lock (_gate)
        {
            var id = "Label_" + (_userLabels.Count + 1).ToString(CultureInfo.InvariantCulture);
            _userLabels[id] = name;
            return id;
        }
    }

    public IReadOnlyList<(string Id, string Name, string Type)> Labels()
    {
        lock (_gate)
            return [.. SystemLabels.Select(l => (l, l, "system")), .. _userLabels.Select(p => (p.Key, p.Value, "user"))];
    }

    /// <summary>Adds a message with this X-GM-MSGID and X-GM-THRID (hexadecimal in the API).</summary>
    public string Add(ulong gmailId, ulong threadId, byte[] raw, DateTimeOffset internalDate, params string[] labels)
    {
        var id = gmailId.ToString("x", CultureInfo.InvariantCulture);
        lock (_gate)
        {
            var message = new Message(id, threadId.ToString("x", CultureInfo.InvariantCulture), raw, internalDate, [.. labels]);
            _messages[id] = message;
            Record("messageAdded", message, []);
        }
        return id;
    }

    public void Relabel(string id, string[] add, string[] remove)
    {
        lock (_gate)
        {
            var message = _messages[id];
            var added = add.Where(message.Labels.Add).ToArray();
            if (added.Length > 0)
                Record("labelAdded", message, added);
            var removed = remove.Where(message.Labels.Remove).ToArray();
            if (removed.Length > 0)
                Record("labelRemoved", message, removed);
        }
    }

    /// <summary>users.messages.trash: the TRASH label on, INBOX off... as Gmail does it, one labelAdded record.</summary>
    public void Trash(string id) => Relabel(id, ["TRASH"], []);

    public void Delete(string id)
    {
        lock (_gate)
        {
            if (_messages.Remove(id, out var message))
                Record("messageDeleted", message, []);
        }
    }

    /// <summary>Gmail keeps history for a limited time: a start id before now is answered 404 from here on.</summary>
    public void ExpireHistory()
    {
        lock (_gate)
            _oldestHistory = _historyId + 1;
    }

    public Message? Get(string id)
    {
        lock (_gate)
            return _messages.GetValueOrDefault(id);
    }

    /// <summary>Ids newest first (internal date, then id), outside Spam and Trash, optionally of one label.</summary>
    public List<string> List(string? labelId)
    {
        lock (_gate)
        {
            return [.. _messages.Values
                .Where(m => !m.Labels.Contains("SPAM") && !m.Labels.Contains("TRASH") && (labelId is null || m.Labels.Contains(labelId)))
                .OrderByDescending(m => m.InternalDate).ThenByDescending(m => m.Id, StringComparer.Ordinal)
                .Select(m => m.Id)];
        }
    }

    /// <summary>The records after <paramref name="start"/>, or null when that history is no longer kept.</summary>
    public List<HistoryRecord>? History(ulong start)
    {
        lock (_gate)
            return start < _oldestHistory - 1 ? null : [.. _history.Where(h => h.Id > start)];
    }

    public string[] LabelsOf(Message message)
    {
        lock (_gate)
            return [.. message.Labels.Order(StringComparer.Ordinal)];
    }

    /// <summary>Called (under the mailbox's lock) with the new history id after every change: where push publishes.</summary>
    public Action<ulong>? Changed { get; set; }

    private void Record(string kind, Message message, string[] changed)
    {
        _history.Add(new HistoryRecord(++_historyId, kind, message.Id, message.ThreadId, [.. message.Labels.Order(StringComparer.Ordinal)], changed));
        Changed?.Invoke(_historyId);
    }
}
