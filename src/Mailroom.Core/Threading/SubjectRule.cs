namespace Mailroom.Core.Threading;

/// <summary>
/// The guarded subject fallback, as a relation between two messages, so that the threads it makes do not depend on the
/// order messages arrive in: at least one of the two names no ancestor, neither has a provider thread id, both have
/// the same non-generic base subject, they share a participant other than the mailbox's own addresses, and their
/// dates are within the window.
/// </summary>
public sealed class SubjectRule(TimeSpan window, IReadOnlyCollection<string> ownAddresses)
{
    private readonly HashSet<string> _own = new(ownAddresses, StringComparer.OrdinalIgnoreCase);

    public TimeSpan Window => window;

    /// <summary>The subject key a message may be joined on, or null when the rule never applies to it.</summary>
    public static string? KeyOf(ThreadableMessage message) =>
        message.ProviderThreadId is { Length: > 0 } ? null : SubjectNormalizer.KeyOrNull(message.Subject);

    /// <summary>Whether the rule joins two messages with the same <see cref="KeyOf"/>.</summary>
    public bool Joins(ThreadableMessage a, bool aHasReferences, ThreadableMessage b, bool bHasReferences)
    {
        if (aHasReferences && bHasReferences)
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
