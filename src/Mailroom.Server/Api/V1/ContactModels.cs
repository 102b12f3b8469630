using System.Text.Json;
using Mailroom.Core.Contacts;

namespace Mailroom.Server.Api.V1;

/// <summary>A contact: the application's id for it, a name, and the addresses it writes from or is written to.</summary>
internal sealed record ContactJson(
    string ExternalId, string Name, IReadOnlyList<string> Addresses, int MessageCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ContactJson From(Contact c) => new(c.ExternalId, c.Name, c.Addresses, c.MessageCount, c.CreatedAt, c.UpdatedAt);
}

/// <summary>A new contact (POST /v1/contacts, and each item of a bulk upsert).</summary>
internal sealed record ContactRequest(string? ExternalId, string? Name, IReadOnlyList<string>? Addresses);

/// <summary>The whole contact under the external id in the path (PUT).</summary>
internal sealed record ContactReplaceRequest(string? Name, IReadOnlyList<string>? Addresses);

/// <summary>Changes to a contact (PATCH): a new name, addresses to add and to remove.</summary>
internal sealed record ContactPatchRequest(string? Name, IReadOnlyList<string>? Add, IReadOnlyList<string>? Remove);

/// <summary>Up to 1,000 contacts, created or replaced by external id; all are checked before any is stored.</summary>
internal sealed record BulkContactsRequest(IReadOnlyList<ContactRequest>? Contacts);

/// <summary>A contact saved, and how many message links the save added and removed.</summary>
internal sealed record ContactSavedJson(ContactJson Contact, bool Created, int Linked, int Unlinked)
{
    public static ContactSavedJson From(ContactSaveResult r) => new(ContactJson.From(r.Contact), r.Created, r.Links.Linked, r.Links.Unlinked);
}

internal sealed record BulkContactsJson(IReadOnlyList<ContactSavedJson> Results);

/// <summary>
/// One entry of a contact's timeline: an email (held by one or more of the organization's mailboxes, see
/// <paramref name="Copies"/>) and the contact's roles in it (from, reply_to, to, cc).
/// </summary>
internal sealed record TimelineEntryJson(
    long MessageId, DateTimeOffset Date, IReadOnlyList<string> Roles, string? Subject, string? From, string? To, string Snippet,
    string? MessageIdHeader, long? ThreadId, IReadOnlyList<TimelineCopyJson> Copies)
{
    public static TimelineEntryJson Of(TimelineEntry e) => new(
        e.MessageId, e.Date,
        [.. Enum.GetValues<ContactRoles>().Where(r => r != ContactRoles.None && e.Roles.HasFlag(r)).Select(r => JsonNamingPolicy.SnakeCaseLower.ConvertName(r.ToString()))],
        e.Subject, e.From, e.To, e.Snippet, e.MessageIdHeader, e.ThreadId,
        [.. e.Copies.Select(c => new TimelineCopyJson(c.MailboxId, c.MailboxName, c.MessageId))]);
}

internal sealed record TimelineCopyJson(long MailboxId, string MailboxName, long MessageId);

/// <summary>An address often in the organization's mail that matches no contact.</summary>
internal sealed record CandidateJson(string Address, string? Name, int Messages, DateTimeOffset? LastSeen);
