namespace Mailroom.Core.Messages;

/// <summary>An event read from a text/calendar part (an invitation, an update, a cancellation).</summary>
public sealed record CalendarEventInfo(
    string? Method,
    string? Uid,
    string? Summary,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    string? Location,
    string? Organizer,
    IReadOnlyList<string> Attendees,
    int? Sequence,
    string? Status);
