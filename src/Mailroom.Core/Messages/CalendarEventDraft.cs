using System.Globalization;

namespace Mailroom.Core.Messages;

/// <summary>The properties of one VEVENT as read, before times are resolved against the calendar's time zones.</summary>
internal sealed class CalendarEventDraft
{
    private readonly List<string> attendees = [];
    private string? uid, summary, location, organizer, status, recurrenceId, duration;
    private int? sequence;
    private CalendarContentLine? start, end;

    /// <summary>What identifies one event across the parts of a message that carry it (Google sends it twice).</summary>
    public string Key => $"{uid}|{recurrenceId}|{sequence}|{start?.Value}";

    public void Set(CalendarContentLine line)
    {
        switch (line.Name)
        {
            case "UID":
                uid = NullIfEmpty(line.Value.Trim());
                break;
            case "SUMMARY":
                summary = NullIfEmpty(CalendarReader.Unescape(line.Value));
                break;
            case "LOCATION":
                location = NullIfEmpty(CalendarReader.Unescape(line.Value));
                break;
            case "ORGANIZER":
                organizer = CalendarReader.StripMailto(line.Value);
                break;
            case "ATTENDEE":
                if (CalendarReader.StripMailto(line.Value) is { } attendee && !attendees.Contains(attendee, StringComparer.OrdinalIgnoreCase))
                    attendees.Add(attendee);
                break;
            case "SEQUENCE":
                sequence = int.TryParse(line.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
                break;
            case "STATUS":
                status = NullIfEmpty(line.Value.Trim().ToUpperInvariant());
                break;
            case "RECURRENCE-ID":
                recurrenceId = line.Value.Trim();
                break;
            case "DTSTART":
                start = line;
                break;
            case "DTEND":
                end = line;
                break;
            case "DURATION":
                duration = line.Value;
                break;
        }
    }

    public CalendarEventInfo Build(string? method, IReadOnlyDictionary<string, CalendarTimeZone> zones, string where, ProblemList problems)
    {
        var startTime = Resolve(start, zones, where, problems);
        var endTime = Resolve(end, zones, where, problems);
        if (endTime is null && startTime is { } s && duration is not null)
        {
            if (CalendarReader.ParseDuration(duration) is { } length && length >= TimeSpan.Zero && s <= DateTimeOffset.MaxValue - length)
                endTime = s + length;
            else
                problems.Add($"{where}: calendar DURATION could not be read: {ProblemList.Quote(duration)}");
        }

        return new CalendarEventInfo(method, uid, summary, startTime, endTime, location, organizer, attendees, sequence, status);
    }

    private static DateTimeOffset? Resolve(
        CalendarContentLine? line, IReadOnlyDictionary<string, CalendarTimeZone> zones, string where, ProblemList problems)
    {
        if (line is not { } value)
            return null;

        if (CalendarReader.ParseDateTime(value.Value, out var isUtc) is not { } local)
        {
            problems.Add($"{where}: calendar {value.Name} could not be read: {ProblemList.Quote(value.Value)}");
            return null;
        }

        var tzid = value.Parameter("TZID");
        if (isUtc || string.IsNullOrWhiteSpace(tzid) || value.Value.Trim().Length == 8)
        {
            // UTC, a floating time or an all-day date: there is no zone to apply, so it is kept as written at +00:00.
            return new DateTimeOffset(local, TimeSpan.Zero);
        }

        var offset = CalendarTimeZone.OffsetOf(tzid, local, zones);
        if (offset is null)
        {
            problems.Add($"{where}: unknown calendar time zone {ProblemList.Quote(tzid)}; {value.Name} read as UTC");
            return new DateTimeOffset(local, TimeSpan.Zero);
        }

        try
        {
            return new DateTimeOffset(local, offset.Value);
        }
        catch (ArgumentException)
        {
            // An offset beyond ±14 hours, or a date at the edge of the calendar.
            problems.Add($"{where}: calendar {value.Name} has an impossible offset; read as UTC");
            return new DateTimeOffset(local, TimeSpan.Zero);
        }
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
