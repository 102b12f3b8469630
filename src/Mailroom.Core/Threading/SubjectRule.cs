namespace Mailroom.Core.Threading;

/// <summary>
/// The guarded subject fallback, as a relation between two messages, so that the threads it makes do not depend on the
/// order messages arrive in: at least one of the two names no ancestor, neither has a provider thread id, both have
/// the same non-generic base subject, they share a participant other than the mailbox's own addresses, and their
/// dates are within the window. Automatic mail (bounces, auto-replies) and generic or short subjects never join.
/// </summary>
/// <param name="window">How far apart (by Date) two messages may be.</param>
/// <param name="ownAddresses">The mailbox's own addresses, which are not a shared participant.</param>
/// <param name="enabled">False when the mailbox threads by references only (<see cref="ThreadingOptions.SubjectJoins"/>).</param>
public sealed class SubjectRule(TimeSpan window, IReadOnlyCollection<string> ownAddresses, bool enabled = true)
{
    private readonly HashSet<string> _own = new(ownAddresses, StringComparer.OrdinalIgnoreCase);

    public TimeSpan Window => window;

    /// <summary>Whether the rule joins anything; when false, threads are made by references and provider ids only.</summary>
    public bool Enabled => enabled;

    /// <summary>
    /// The subject key a message may be joined on (stored as the message's <c>thread_subject</c>), or null when the
    /// rule never applies to it: a provider threads it, a machine sent it, or its subject is generic or short.
    /// </summary>
    public static string? KeyOf(ThreadableMessage message) =>
        message.ProviderThreadId is { Length: > 0 } || message.Automatic ? null : SubjectNormalizer.KeyOrNull(message.Subject, message.ListId);

    /// <summary>Whether the rule joins two messages with the same <see cref="KeyOf"/>.</summary>
    public bool Joins(ThreadableMessage a, bool aHasReferences, ThreadableMessage b, bool bHasReferences)
    {
        if (!enabled || (aHasReferences && bHasReferences))
            return false;
        if (a.Date is not { } da || b.Date is not { } db || (da - db).Duration() > window)
            return false;
        foreach (var p in a.Participants)
        {
            if (_own.Contains(p))
                continue;
            foreach (var q in b.Participants)
            {
                if (string.Equals(p, q, StringComparison.OrdinalIgnoreCase))
                    return true;
            }
        }

        return false;
    }
}
