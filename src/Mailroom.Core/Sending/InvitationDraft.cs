namespace Mailroom.Core.Sending;

/// <summary>
/// A calendar invitation sent as text/calendar in the multipart/alternative. An update or a cancellation keeps the
/// <see cref="Uid"/> of the original and raises <see cref="Sequence"/>.
/// </summary>
/// <param name="Start">The start in local time of <paramref name="TimeZoneId"/> (an IANA id such as Europe/Berlin), or UTC when it is null.</param>
public sealed record InvitationDraft(
    string Uid,
    string Summary,
    DateTime Start,
    DateTime End,
    string? TimeZoneId,
    OutgoingAddress Organizer,
    IReadOnlyList<OutgoingAddress> Attendees,
    string? Description = null,
    string? Location = null,
    int Sequence = 0,
    InvitationMethod Method = InvitationMethod.Request);
