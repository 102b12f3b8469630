namespace Mailroom.Core.Threading;

/// <summary>
/// The threads of one mailbox held in memory, kept by <see cref="ThreadPlanner"/> exactly as the store keeps them
/// (the same plan, applied to dictionaries instead of tables): for tests, benchmarks and tools.
/// </summary>
public sealed class MailboxThreads(SubjectRule rule)
{
    private readonly Dictionary<string, long> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<long, List<string>> _keysByThread = [];
    private readonly Dictionary<long, List<long>> _messagesByThread = [];
    private readonly Dictionary<long, (long Thread, ThreadReason Reason)> _byMessage = [];
    private readonly Dictionary<string, List<ThreadableMessage>> _bySubject = new(StringComparer.Ordinal);
    private long _nextThreadId = 1;

    public int MessageCount => _byMessage.Count;

    public int ThreadCount => _messagesByThread.Count;

    /// <summary>Threads a batch of messages; messages already known (by <see cref="ThreadableMessage.Id"/>) change nothing.</summary>
    public ThreadingPlan Add(IReadOnlyList<ThreadableMessage> messages)
    {
        var seen = new HashSet<long>();
        var batch = messages.Where(m => !_byMessage.ContainsKey(m.Id) && seen.Add(m.Id)).ToList();

        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        var subjects = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in batch)
        {
            foreach (var key in ThreadKeys.For(message))
            {
                if (_keys.TryGetValue(key, out var thread))
                    stored[key] = thread;
            }

            if (SubjectRule.KeyOf(message) is { } subject)
                subjects.Add(subject);
        }

        var candidates = new List<StoredThreadMember>();
        foreach (var subject in subjects)
        {
            if (_bySubject.TryGetValue(subject, out var list))
                candidates.AddRange(list.Select(m => new StoredThreadMember(m, _byMessage[m.Id].Thread, subject)));
        }

        var plan = ThreadPlanner.Plan(batch, stored, candidates, rule);
        Apply(batch, plan);
        return plan;
    }

    /// <summary>The thread and reason of a message, or null when it is not known.</summary>
    public (long Thread, ThreadReason Reason)? Find(long messageId) =>
        _byMessage.TryGetValue(messageId, out var value) ? value : null;

    /// <summary>Every thread as the set of its message ids.</summary>
    public IEnumerable<IReadOnlyCollection<long>> Threads() => _messagesByThread.Values;

    private void Apply(List<ThreadableMessage> batch, ThreadingPlan plan)
    {
        foreach (var merge in plan.Merges)
        {
            var messages = _messagesByThread[merge.From];
            foreach (var id in messages)
                _byMessage[id] = (merge.Into, _byMessage[id].Reason);
            _messagesByThread[merge.Into].AddRange(messages);
            _messagesByThread.Remove(merge.From);
            if (_keysByThread.Remove(merge.From, out var keys))
            {
                foreach (var key in keys)
                    _keys[key] = merge.Into;
                Keys(merge.Into).AddRange(keys);
            }
        }

        var created = new long[plan.NewThreads];
        for (var i = 0; i < created.Length; i++)
        {
            created[i] = _nextThreadId++;
            _messagesByThread[created[i]] = [];
        }

        long IdOf(ThreadRef thread) => thread.IsNew ? created[thread.Value] : thread.Value;
        for (var i = 0; i < batch.Count; i++)
        {
            var thread = IdOf(plan.Assignments[i].Thread);
            _byMessage[batch[i].Id] = (thread, plan.Assignments[i].Reason);
            _messagesByThread[thread].Add(batch[i].Id);
            if (SubjectRule.KeyOf(batch[i]) is { } subject)
            {
                if (!_bySubject.TryGetValue(subject, out var list))
                    _bySubject[subject] = list = [];
                list.Add(batch[i]);
            }
        }

        foreach (var (key, thread) in plan.NewKeys)
        {
            var id = IdOf(thread);
            _keys[key] = id;
            Keys(id).Add(key);
        }
    }

    private List<string> Keys(long thread)
    {
        if (!_keysByThread.TryGetValue(thread, out var keys))
            _keysByThread[thread] = keys = [];
        return keys;
    }
}
