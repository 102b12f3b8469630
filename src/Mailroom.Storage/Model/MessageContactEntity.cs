namespace Mailroom.Storage.Model;

/// <summary>
/// A link: the message names the contact in <see cref="Roles"/>. An index over message_addresses and
/// contact_addresses that can always be recomputed; the timeline reads it alone, so it carries the message's sort
/// time, mailbox and the key that recognizes the same email in another mailbox.
/// </summary>
internal sealed class MessageContactEntity
{
    public long ContactId { get; set; }
    public long MessageId { get; set; }

    /// <summary><see cref="Core.Contacts.ContactRoles"/> as an integer.</summary>
    public int Roles { get; set; }

    public long MailboxId { get; set; }

    /// <summary>The message's Date, else its INTERNALDATE, else when it was stored.</summary>
    public DateTimeOffset SortDate { get; set; }

    /// <summary>The Message-ID, else the raw SHA-256: equal for the copies of one email in several mailboxes.</summary>
    public required string DedupeKey { get; set; }
}
