using Mailroom.Core.Connectors;

namespace Mailroom.Core.Sync.Gmail;

/// <summary>
/// Which label memberships change, from the labels stored and the labels the server reported. A pure function, so
/// that full comparisons and CHANGEDSINCE answers go through the same rules.
/// </summary>
public static class GmailLabelDiff
{
    /// <param name="stored">Labels stored per All Mail UID.</param>
    /// <param name="reported">What the server reported: every message (full comparison) or only the changed ones
    /// (CHANGEDSINCE). A message reported without X-GM-LABELS keeps its stored labels.</param>
    /// <param name="inAllMail">UIDs the store holds in All Mail after this run. Labels exist only for those: a message
    /// that left All Mail (deleted, or outside the sync window) loses every label membership.</param>
    public static GmailLabelChanges Compute(
        IReadOnlyDictionary<uint, IReadOnlySet<string>> stored,
        IEnumerable<GmailMessageState> reported,
        IReadOnlySet<uint> inAllMail)
    {
        var add = new List<(uint, string)>();
        var remove = new List<(uint, string)>();

        // Rule 1: a reported message gets exactly the labels the server gave it (no duplicates, no empty names).
        var seen = new HashSet<uint>();
        foreach (var message in reported)
        {
            if (message.Labels is null || !inAllMail.Contains(message.Uid) || !seen.Add(message.Uid))
                continue;
            var wanted = message.Labels.Where(l => !string.IsNullOrEmpty(l)).ToHashSet(StringComparer.Ordinal);
            var current = stored.TryGetValue(message.Uid, out var s) ? s : new HashSet<string>();
            add.AddRange(wanted.Where(l => !current.Contains(l)).Order(StringComparer.Ordinal).Select(l => (message.Uid, l)));
            remove.AddRange(current.Where(l => !wanted.Contains(l)).Order(StringComparer.Ordinal).Select(l => (message.Uid, l)));
        }

        // Rule 2: labels of a message All Mail no longer holds go with it.
        foreach (var (uid, labels) in stored)
        {
            if (!inAllMail.Contains(uid))
                remove.AddRange(labels.Order(StringComparer.Ordinal).Select(l => (uid, l)));
        }

        // Rule 3: messages not reported and still in All Mail keep their labels (CHANGEDSINCE did not mention them).
        return new GmailLabelChanges(
            [.. add.OrderBy(c => c.Item1).ThenBy(c => c.Item2, StringComparer.Ordinal)],
            [.. remove.OrderBy(c => c.Item1).ThenBy(c => c.Item2, StringComparer.Ordinal)]);
    }
}
