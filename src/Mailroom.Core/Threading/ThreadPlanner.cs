namespace Mailroom.Core.Threading;

/// <summary>
/// Incremental threading, pure: a batch of new messages against what the store already knows, as a plan the store
/// applies in the batch's transaction. A thread is a connected group of messages, two messages being connected when
/// they share a key (<see cref="ThreadKeys"/>) or the <see cref="SubjectRule"/> joins them. Both relations are between
/// two messages and do not depend on what else is stored, so threading a mailbox message by message, in any order,
/// ends with the same threads as threading it at once; a late parent merges the threads its replies started.
/// </summary>
public static class ThreadPlanner
{
    [Flags]
    private enum Via
    {
        None = 0,
        Reference = 1,
        Provider = 2,
        Subject = 4,
        Referenced = 8,
    }

    /// <param name="batch">New messages (not stored yet), each once.</param>
    /// <param name="storedKeys">The stored thread of each key of <paramref name="batch"/> that is stored.</param>
    /// <param name="candidates">Stored messages whose subject key (<see cref="SubjectRule.KeyOf"/>) is one of the batch's.</param>
    /// <param name="rule">The subject rule of the mailbox.</param>
    public static ThreadingPlan Plan(
        IReadOnlyList<ThreadableMessage> batch, IReadOnlyDictionary<string, long> storedKeys,
        IReadOnlyList<StoredThreadMember> candidates, SubjectRule rule)
    {
        var n = batch.Count;
        var sets = new DisjointSets(n);
        var storedNodes = new Dictionary<long, int>();
        int NodeOf(long threadId)
        {
            if (!storedNodes.TryGetValue(threadId, out var node))
                storedNodes[threadId] = node = sets.Add();
            return node;
        }

        var via = new Via[n];
        var hasReferences = new bool[n];
        var firstByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            var message = batch[i];
            hasReferences[i] = message.HasReferences;
            var own = message.MessageId is { } id ? ThreadKeys.MessageIdPrefix + id : null;
            foreach (var key in ThreadKeys.For(message))
            {
                var kind = ThreadKeys.IsProviderKey(key) ? Via.Provider : key == own ? Via.Referenced : Via.Reference;
                if (storedKeys.TryGetValue(key, out var threadId))
                {
                    sets.Union(i, NodeOf(threadId));
                    via[i] |= kind;
                }

                if (firstByKey.TryGetValue(key, out var first))
                {
                    sets.Union(i, first);
                    via[i] |= kind;
                    var firstOwn = batch[first].MessageId is { } fid ? ThreadKeys.MessageIdPrefix + fid : null;
                    via[first] |= ThreadKeys.IsProviderKey(key) ? Via.Provider : key == firstOwn ? Via.Referenced : Via.Reference;
                }
                else
                {
                    firstByKey[key] = i;
                }
            }
        }

        if (rule.Enabled)
            JoinBySubject(batch, hasReferences, candidates, rule, sets, NodeOf, via);
        return Build(batch, storedKeys, firstByKey, sets, storedNodes, via, hasReferences);
    }

    private static void JoinBySubject(
        IReadOnlyList<ThreadableMessage> batch, bool[] hasReferences, IReadOnlyList<StoredThreadMember> candidates,
        SubjectRule rule, DisjointSets sets, Func<long, int> nodeOf, Via[] via)
    {
        // Per subject key, the batch's messages and the stored ones, by date; pairs within the window are checked.
        var groups = new Dictionary<string, List<(ThreadableMessage Message, bool HasReferences, int Batch, long Thread)>>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Date is null || SubjectRule.KeyOf(batch[i]) is not { } key)
                continue;
            if (!groups.TryGetValue(key, out var list))
                groups[key] = list = [];
            list.Add((batch[i], hasReferences[i], i, 0));
        }

        if (groups.Count == 0)
            return;
        foreach (var candidate in candidates)
        {
            if (candidate.Message.Date is not null && groups.TryGetValue(candidate.SubjectKey, out var list))
                list.Add((candidate.Message, candidate.Message.HasReferences, -1, candidate.ThreadId));
        }

        foreach (var list in groups.Values)
        {
            if (list.Count < 2)
                continue;
            list.Sort((x, y) => Order(x.Message, y.Message));
            // Only pairs with a message that names no ancestor can join: scan around each of those, within the window.
            for (var a = 0; a < list.Count; a++)
            {
                var x = list[a];
                if (x.HasReferences)
                    continue;
                var date = x.Message.Date!.Value;
                for (var b = a - 1; b >= 0 && date - list[b].Message.Date!.Value <= rule.Window; b--)
                {
                    if (list[b].HasReferences)
                        Join(list[b], x);
                }

                for (var b = a + 1; b < list.Count && list[b].Message.Date!.Value - date <= rule.Window; b++)
                    Join(x, list[b]);
            }
        }

        // x sorts before y. The later message records the join; when that one is stored (its reason written long ago),
        // the new earlier one does, so that every subject join that connects two threads shows in some message's reason.
        void Join((ThreadableMessage Message, bool HasReferences, int Batch, long Thread) x, (ThreadableMessage Message, bool HasReferences, int Batch, long Thread) y)
        {
            if ((x.Batch < 0 && y.Batch < 0) || !rule.Joins(x.Message, x.HasReferences, y.Message, y.HasReferences))
                return;
            var (nx, ny) = (x.Batch >= 0 ? x.Batch : nodeOf(x.Thread), y.Batch >= 0 ? y.Batch : nodeOf(y.Thread));
            // Already one thread (a reply and its parent share the subject too): the subject explains nothing.
            if (sets.Find(nx) == sets.Find(ny))
                return;
            sets.Union(nx, ny);
            via[y.Batch >= 0 ? y.Batch : x.Batch] |= Via.Subject;
        }
    }

    private static int Order(ThreadableMessage x, ThreadableMessage y)
    {
        var byDate = Nullable.Compare(x.Date, y.Date);
        return byDate != 0 ? byDate : x.Id.CompareTo(y.Id);
    }

    private static ThreadingPlan Build(
        IReadOnlyList<ThreadableMessage> batch, IReadOnlyDictionary<string, long> storedKeys, Dictionary<string, int> firstByKey,
        DisjointSets sets, Dictionary<long, int> storedNodes, Via[] via, bool[] hasReferences)
    {
        // Each group with stored threads keeps the smallest id; the others merge into it.
        var survivor = new Dictionary<int, long>();
        foreach (var (threadId, node) in storedNodes)
        {
            var root = sets.Find(node);
            if (!survivor.TryGetValue(root, out var current) || threadId < current)
                survivor[root] = threadId;
        }

        var merges = new List<ThreadMerge>();
        foreach (var (threadId, node) in storedNodes)
        {
            var into = survivor[sets.Find(node)];
            if (into != threadId)
                merges.Add(new ThreadMerge(into, threadId));
        }

        merges.Sort((x, y) => x.From.CompareTo(y.From));
        var created = new Dictionary<int, int>();
        ThreadRef RefOf(int node)
        {
            var root = sets.Find(node);
            if (survivor.TryGetValue(root, out var id))
                return new ThreadRef(id, false);
            if (!created.TryGetValue(root, out var index))
                created[root] = index = created.Count;
            return new ThreadRef(index, true);
        }

        var assignments = new ThreadAssignment[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            // A reply stays a reply when it arrives before its parent: its references are what will join it. A message
            // that joined by subject says so even when later messages of the batch reply to it: their references
            // explain them, not how it came into the thread.
            var reason = (via[i] & Via.Provider) != 0 ? ThreadReason.ProviderId
                : (via[i] & Via.Reference) != 0 ? ThreadReason.Reference
                : (via[i] & Via.Subject) != 0 ? ThreadReason.Subject
                : hasReferences[i] ? ThreadReason.Reference
                : ThreadReason.Root;
            assignments[i] = new ThreadAssignment(RefOf(i), reason);
        }

        var newKeys = new List<KeyValuePair<string, ThreadRef>>();
        foreach (var (key, first) in firstByKey)
        {
            if (!storedKeys.ContainsKey(key))
                newKeys.Add(new(key, assignments[first].Thread));
        }

        return new ThreadingPlan(created.Count, assignments, merges, newKeys);
    }
}
