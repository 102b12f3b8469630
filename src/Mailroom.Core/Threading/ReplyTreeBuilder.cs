namespace Mailroom.Core.Threading;

/// <summary>
/// JWZ's threading algorithm (https://www.jwz.org/doc/threading.html) as reply trees, for showing a thread: one
/// container per Message-ID (a missing one stays an empty container), References chained oldest first without ever
/// closing a loop, each message under its last ancestor, empty containers pruned, and roots with the same base subject
/// grouped. Which messages form a thread is decided by <see cref="ThreadPlanner"/>; this only shapes them.
/// </summary>
public static class ReplyTreeBuilder
{
    /// <summary>The reply trees of the messages, oldest first (by Date, then input order).</summary>
    /// <param name="messages">The messages, in arrival order.</param>
    /// <param name="groupBySubject">JWZ step 5: join roots with the same base subject (not for generic subjects).</param>
    /// <param name="useReferences">False threads on subjects alone (JWZ's "ordered subject" variant).</param>
    public static IReadOnlyList<ThreadNode> Build(IReadOnlyList<ThreadableMessage> messages, bool groupBySubject = true, bool useReferences = true)
    {
        var byId = new Dictionary<string, ThreadNode>(StringComparer.Ordinal);
        var all = new List<ThreadNode>(messages.Count * 2);
        ThreadNode Container(string id)
        {
            if (!byId.TryGetValue(id, out var node))
            {
                byId[id] = node = new ThreadNode(null);
                all.Add(node);
            }

            return node;
        }

        for (var index = 0; index < messages.Count; index++)
        {
            var message = messages[index];
            ThreadNode node;
            if (useReferences && message.MessageId is { } id && byId.TryGetValue(id, out var existing) && existing.Message is null)
            {
                existing.Message = message;
                node = existing;
            }
            else
            {
                // A duplicate Message-ID (or none) gets a container of its own, reachable by nobody.
                node = new ThreadNode(message);
                all.Add(node);
                if (useReferences && message.MessageId is { } newId)
                    byId.TryAdd(newId, node);
            }

            node.Position = index;
            if (!useReferences)
                continue;

            ThreadNode? parent = null;
            foreach (var reference in message.Ancestors())
            {
                var container = Container(reference);
                if (parent is not null && container.Parent is null && container != parent && !IsAncestor(container, parent))
                    Link(parent, container);
                parent = container;
            }

            if (parent is not null && (parent == node || IsAncestor(node, parent)))
                parent = null;
            if (node.Parent is not null)
                Unlink(node);
            if (parent is not null)
                Link(parent, node);
        }

        var roots = all.Where(n => n.Parent is null).ToList();
        Prune(roots, isRoot: true);
        if (groupBySubject)
            GroupBySubject(roots);
        Sort(roots);
        return roots;
    }

    /// <summary>Whether <paramref name="ancestor"/> is <paramref name="node"/>'s parent, grandparent, ...</summary>
    private static bool IsAncestor(ThreadNode ancestor, ThreadNode node)
    {
        for (var p = node.Parent; p is not null; p = p.Parent)
        {
            if (p == ancestor)
                return true;
        }

        return false;
    }

    private static void Link(ThreadNode parent, ThreadNode child)
    {
        child.Parent = parent;
        parent.Children.Add(child);
    }

    private static void Unlink(ThreadNode node)
    {
        node.Parent!.Children.Remove(node);
        node.Parent = null;
    }

    /// <summary>JWZ step 4: drop empty leaves; an empty container gives its children to its parent, except at the root
    /// level, where it stays when it holds several (they answer the same missing message).</summary>
    private static void Prune(List<ThreadNode> siblings, bool isRoot)
    {
        for (var i = 0; i < siblings.Count; i++)
        {
            var node = siblings[i];
            if (node.Message is null && node.Children.Count == 0)
            {
                siblings.RemoveAt(i--);
            }
            else if (node.Message is null && (!isRoot || node.Children.Count == 1))
            {
                siblings.RemoveAt(i);
                foreach (var child in node.Children)
                    child.Parent = isRoot ? null : node.Parent;
                siblings.InsertRange(i, node.Children);
                node.Children.Clear();
                i--;
            }
            else
            {
                Prune(node.Children, isRoot: false);
            }
        }
    }

    /// <summary>JWZ step 5, over the roots.</summary>
    private static void GroupBySubject(List<ThreadNode> roots)
    {
        var table = new Dictionary<string, ThreadNode>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            if (SubjectNormalizer.KeyOrNull(root.Subject) is not { } key)
                continue;
            // Prefer an empty container, then a message that is not a reply.
            if (!table.TryGetValue(key, out var held)
                || (root.Message is null && held.Message is not null)
                || (held.Message is not null && held.IsReply && root.Message is not null && !root.IsReply))
            {
                table[key] = root;
            }
        }

        for (var i = 0; i < roots.Count; i++)
        {
            var current = roots[i];
            if (SubjectNormalizer.KeyOrNull(current.Subject) is not { } key || !table.TryGetValue(key, out var held) || held == current)
                continue;
            roots.RemoveAt(i--);
            if (held.Message is null && current.Message is null)
            {
                foreach (var child in current.Children)
                    Link(held, child);
            }
            else if (held.Message is null || (current.IsReply && !held.IsReply))
            {
                Link(held, current);
            }
            else
            {
                // Neither answers the other: both go under a new empty container, in the held one's place.
                var copy = new ThreadNode(held.Message) { Position = held.Position };
                foreach (var child in held.Children)
                    Link(copy, child);
                held.Children.Clear();
                held.Message = null;
                Link(held, copy);
                Link(held, current);
            }
        }
    }

    private static void Sort(List<ThreadNode> nodes)
    {
        foreach (var node in nodes)
            Sort(node.Children);
        nodes.Sort((x, y) =>
        {
            var byDate = Nullable.Compare(FirstDate(x), FirstDate(y));
            return byDate != 0 ? byDate : FirstPosition(x).CompareTo(FirstPosition(y));
        });
    }

    private static DateTimeOffset? FirstDate(ThreadNode node) =>
        node.Message is not null ? node.Message.Date ?? DateTimeOffset.MinValue : node.Children.Min(FirstDate);

    private static int FirstPosition(ThreadNode node) =>
        node.Message is not null ? node.Position : node.Children.Min(FirstPosition);
}
