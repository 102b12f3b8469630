namespace Mailroom.Core.Contacts;

/// <summary>A person the application knows (an applicant), with every address they write from or are written to.</summary>
/// <param name="Id">Mailroom's id.</param>
/// <param name="OrganizationId">The organization the contact belongs to; links and timelines never cross it.</param>
/// <param name="ExternalId">The application's own id, unique in the organization.</param>
/// <param name="Name">The name to show.</param>
/// <param name="Addresses">The addresses, normalized (see <see cref="ContactAddresses.Normalize"/>), sorted.</param>
/// <param name="MessageCount">Messages linked to the contact (every mailbox, duplicates counted once per mailbox).</param>
public sealed record Contact(
    long Id,
    long OrganizationId,
    string ExternalId,
    string Name,
    IReadOnlyList<string> Addresses,
    int MessageCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
