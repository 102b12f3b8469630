namespace Mailroom.Core.Contacts;

/// <summary>
/// One email in a contact's timeline. The same email stored in several mailboxes of the organization (a recruiter
/// writes to two colleagues) is one entry; <see cref="Copies"/> names each mailbox and message that holds it.
/// </summary>
/// <param name="MessageId">The message shown (the newest copy by id).</param>
/// <param name="Date">The message's Date, else its arrival time.</param>
/// <param name="Roles">How the contact appears in it (union over the copies).</param>
/// <param name="ThreadId">The thread the shown copy belongs to, when threading has assigned one.</param>
public sealed record TimelineEntry(
    long MessageId,
    DateTimeOffset Date,
    ContactRoles Roles,
    string? Subject,
    string? From,
    string? To,
    string Snippet,
    string? MessageIdHeader,
    long? ThreadId,
    IReadOnlyList<TimelineCopy> Copies);

/// <summary>One mailbox's copy of a timeline entry.</summary>
public sealed record TimelineCopy(long MailboxId, string MailboxName, long MessageId);
