using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Mailroom.Core.Sending;

/// <summary>Writes an <see cref="InvitationDraft"/> as an iTIP REQUEST or CANCEL (RFC 5546) with Ical.Net.</summary>
internal static class InvitationWriter
{
    public static string Write(InvitationDraft invitation, DateTimeOffset now)
    {
        var cancel = invitation.Method == InvitationMethod.Cancel;
        var calendar = new Calendar
        {
            ProductId = "-//Mailroom//Mailroom//EN",
            Method = cancel ? "CANCEL" : "REQUEST",
        };
        var tz = invitation.TimeZoneId;
        if (tz is not null)
            calendar.AddTimeZone(tz);

        var calendarEvent = new CalendarEvent
        {
            Uid = invitation.Uid,
            Sequence = invitation.Sequence,
            Summary = invitation.Summary,
            Description = invitation.Description,
            Location = invitation.Location,
            DtStamp = new CalDateTime(now.UtcDateTime, "UTC"),
            DtStart = new CalDateTime(DateTime.SpecifyKind(invitation.Start, DateTimeKind.Unspecified), tz ?? "UTC"),
            DtEnd = new CalDateTime(DateTime.SpecifyKind(invitation.End, DateTimeKind.Unspecified), tz ?? "UTC"),
            Status = cancel ? "CANCELLED" : "CONFIRMED",
            Organizer = new Organizer("mailto:" + invitation.Organizer.Address) { CommonName = invitation.Organizer.Name },
        };
        foreach (var a in invitation.Attendees)
        {
            calendarEvent.Attendees.Add(new Attendee("mailto:" + a.Address)
            {
                CommonName = a.Name,
                Role = "REQ-PARTICIPANT",
                ParticipationStatus = cancel ? null : "NEEDS-ACTION",
                Rsvp = !cancel,
            });
        }
        calendar.Events.Add(calendarEvent);
        return new CalendarSerializer().SerializeToString(calendar) ?? throw new InvalidOperationException("Ical.Net wrote no calendar.");
    }
}
