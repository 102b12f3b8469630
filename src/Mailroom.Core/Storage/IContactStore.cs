using Mailroom.Core.Contacts;

namespace Mailroom.Core.Storage;

/// <summary>
/// Contacts of an organization and their links to messages. Links are an index that can always be recomputed from
/// the stored addresses: every write of a contact re-links it in the same transaction, and messages are linked as
/// they are stored (<see cref="IMessageStore.SaveMessagesAsync"/>).
/// </summary>
public interface IContactStore
{
    /// <summary>
    /// Creates the contact, or replaces the name and addresses of the one with this external id; then links it to
    /// every stored message of the organization that names one of its addresses and unlinks the messages that no
    /// longer do. Throws <see cref="ArgumentException"/> for invalid input.
    /// </summary>
    Task<ContactSaveResult> UpsertAsync(long organizationId, ContactInput input, CancellationToken cancellationToken);

    /// <summary>Adds and removes addresses (normalized first), renames when <paramref name="name"/> is given, and re-links. Null when there is no such contact.</summary>
    Task<ContactSaveResult?> UpdateAsync(
        long organizationId, string externalId, string? name, IReadOnlyList<string> add, IReadOnlyList<string> remove,
        CancellationToken cancellationToken);

    /// <summary>Removes the contact and its links. False when there is no such contact.</summary>
    Task<bool> RemoveAsync(long organizationId, string externalId, CancellationToken cancellationToken);

    Task<Contact?> GetAsync(long organizationId, string externalId, CancellationToken cancellationToken);

    /// <summary>Contacts ordered by external id.</summary>
    Task<IReadOnlyList<Contact>> ListAsync(long organizationId, CancellationToken cancellationToken);

    /// <summary>
    /// A page of contacts ordered by external id (in the database's order), those after <paramref name="afterExternalId"/>
    /// (keyset: contacts added meanwhile never shift a page).
    /// </summary>
    Task<IReadOnlyList<Contact>> ListPageAsync(long organizationId, string? afterExternalId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="ListPageAsync"/>, only the contacts whose external id, name or one of whose addresses contains
    /// <paramref name="text"/> (ignoring case).
    /// </summary>
    Task<IReadOnlyList<Contact>> SearchPageAsync(long organizationId, string text, string? afterExternalId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The contact's messages across every mailbox of the organization, newest first, after <paramref name="after"/>;
    /// an email held by several mailboxes is one entry. Null when there is no such contact.
    /// </summary>
    Task<TimelinePage?> GetTimelineAsync(
        long organizationId, string externalId, int limit, TimelineCursor? after, CancellationToken cancellationToken);

    /// <summary>Addresses named most often in the organization's mail that match no contact, most frequent first.</summary>
    Task<IReadOnlyList<UnmatchedCorrespondent>> GetUnmatchedCorrespondentsAsync(
        long organizationId, int limit, CancellationToken cancellationToken);

    /// <summary>Turns provider alias rules (Gmail dots, <c>+tags</c>) on or off for the organization and re-links every contact.</summary>
    Task<LinkChange> SetAliasMatchingAsync(long organizationId, bool enabled, CancellationToken cancellationToken);

    Task<bool> GetAliasMatchingAsync(long organizationId, CancellationToken cancellationToken);
}
