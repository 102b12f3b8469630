namespace Mailroom.Core.Events;

/// <summary>The event types Mailroom writes to its event log (the changes feed and webhooks carry them).</summary>
public static class EventTypes
{
    /// <summary>A message was stored for the first time in a mailbox.</summary>
    public const string MessageCreated = "message.created";

    /// <summary>A stored message changed: its flags or keywords in a folder, or the folders it is in.</summary>
    public const string MessageUpdated = "message.updated";

    /// <summary>A message left the last folder of its mailbox that held it (expunged or moved out of every synced folder).</summary>
    public const string MessageDeleted = "message.deleted";

    /// <summary>A thread gained messages or absorbed other threads.</summary>
    public const string ThreadUpdated = "thread.updated";

    /// <summary>A message was linked to a contact, or its roles changed.</summary>
    public const string ContactLinked = "contact.linked";

    /// <summary>A link between a message and a contact went (the contact lost the address that made it).</summary>
    public const string ContactUnlinked = "contact.unlinked";

    /// <summary>The SMTP server accepted a message of the outbox.</summary>
    public const string SendSucceeded = "send.succeeded";

    /// <summary>A message of the outbox failed for good (a permanent refusal, or temporary failures for too long).</summary>
    public const string SendFailed = "send.failed";

    /// <summary>A mailbox changed state (ok, error, auth_failed, needs_reauth, removed, ...).</summary>
    public const string MailboxStateChanged = "mailbox.state_changed";

    /// <summary>Every type, in the order above.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        MessageCreated, MessageUpdated, MessageDeleted, ThreadUpdated, ContactLinked, ContactUnlinked,
        SendSucceeded, SendFailed, MailboxStateChanged,
    ];

    /// <summary>
    /// Whether <paramref name="type"/> matches a subscription <paramref name="filter"/>: an exact type, a family
    /// (<c>message.*</c>) or <c>*</c>; an empty filter matches everything.
    /// </summary>
    public static bool Matches(IReadOnlyCollection<string> filter, string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (filter.Count == 0)
            return true;
        foreach (var f in filter)
        {
            if (f == "*" || string.Equals(f, type, StringComparison.Ordinal))
                return true;
            if (f.EndsWith(".*", StringComparison.Ordinal) && type.StartsWith(f[..^1], StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>Whether <paramref name="filter"/> is a valid filter entry: a known type, a known family with <c>.*</c>, or <c>*</c>.</summary>
    public static bool IsValidFilter(string filter) =>
        filter == "*" || All.Contains(filter, StringComparer.Ordinal)
        || (filter.EndsWith(".*", StringComparison.Ordinal) && All.Any(t => t.StartsWith(filter[..^1], StringComparison.Ordinal)));
}
