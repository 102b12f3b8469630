using Mailroom.Core.Messages;

namespace Mailroom.Core.Tests.Messages;

public sealed class CalendarReaderTests
{
    private static (IReadOnlyList<CalendarEventInfo> Events, IReadOnlyList<string> Problems) Read(string calendar, string? method = null)
    {
        var problems = new ProblemList();
        var events = CalendarReader.Read(calendar.ReplaceLineEndings("\r\n"), method, "part 1", problems);
        return (events, problems.ToList());
    }

    [Fact]
    public void Event_fields_are_read_with_mailto_stripped_and_text_unescaped()
    {
        var (events, problems) = Read("""
            BEGIN:VCALENDAR
            METHOD:CANCEL
            BEGIN:VEVENT
            UID:abc-123
            SEQUENCE:2
            STATUS:cancelled
            SUMMARY:Budget\, Q3\; final
            LOCATION:Room 1\nFloor 2
            ORGANIZER;CN="Doe, Jane":MAILTO:jane@example.com
            ATTENDEE;CN=Bob;RSVP=TRUE:mailto:bob@example.com
            ATTENDEE;CN="x:y";PARTSTAT=ACCEPTED:mailto:carol@example.com
            DTSTART:20240601T090000Z
            DURATION:PT1H30M
            END:VEVENT
            END:VCALENDAR
            """);

        var e = Assert.Single(events);
        Assert.Empty(problems);
        Assert.Equal("CANCEL", e.Method);
        Assert.Equal(("abc-123", 2, "CANCELLED"), (e.Uid, e.Sequence, e.Status));
        Assert.Equal("Budget, Q3; final", e.Summary);
        Assert.Equal("Room 1\nFloor 2", e.Location);
        Assert.Equal("jane@example.com", e.Organizer);
        Assert.Equal(["bob@example.com", "carol@example.com"], e.Attendees);
        Assert.Equal(new DateTimeOffset(2024, 6, 1, 9, 0, 0, TimeSpan.Zero), e.Start);
        Assert.Equal(new DateTimeOffset(2024, 6, 1, 10, 30, 0, TimeSpan.Zero), e.End);
    }

    [Fact]
    public void Content_type_method_wins_over_the_calendar_method()
    {
        var (events, _) = Read("BEGIN:VCALENDAR\nMETHOD:PUBLISH\nBEGIN:VEVENT\nUID:1\nEND:VEVENT\nEND:VCALENDAR\n", method: "request");

        Assert.Equal("REQUEST", Assert.Single(events).Method);
    }

    [Theory]
    [InlineData("Europe/Berlin", "20240115T100000", 1)]
    [InlineData("Europe/Berlin", "20240715T100000", 2)]
    [InlineData("W. Europe Standard Time", "20240715T100000", 2)]
    [InlineData("/mozilla.org/20050126_1/America/New_York", "20240115T100000", -5)]
    [InlineData("\"America/New_York\"", "20240715T100000", -4)]
    public void Tzid_resolves_through_the_system_time_zone_database(string tzid, string local, int offsetHours)
    {
        var (events, problems) = Read($"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDTSTART;TZID={tzid}:{local}\nEND:VEVENT\nEND:VCALENDAR\n");

        Assert.Empty(problems);
        Assert.Equal(TimeSpan.FromHours(offsetHours), Assert.Single(events).Start?.Offset);
    }

    [Theory]
    [InlineData("20240115T100000", 1)]
    [InlineData("20240715T100000", 2)]
    [InlineData("20241027T010000", 2)]
    [InlineData("20241027T040000", 1)]
    public void Custom_vtimezone_rules_give_the_offset_when_the_tzid_is_not_a_known_zone(string local, int offsetHours)
    {
        var (events, problems) = Read($"""
            BEGIN:VCALENDAR
            BEGIN:VEVENT
            UID:1
            DTSTART;TZID="(UTC+01:00) Amsterdam, Berlin":{local}
            END:VEVENT
            BEGIN:VTIMEZONE
            TZID:(UTC+01:00) Amsterdam, Berlin
            BEGIN:STANDARD
            DTSTART:16010101T030000
            TZOFFSETFROM:+0200
            TZOFFSETTO:+0100
            RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
            END:STANDARD
            BEGIN:DAYLIGHT
            DTSTART:16010101T020000
            TZOFFSETFROM:+0100
            TZOFFSETTO:+0200
            RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
            END:DAYLIGHT
            END:VTIMEZONE
            END:VCALENDAR
            """);

        Assert.Empty(problems);
        Assert.Equal(TimeSpan.FromHours(offsetHours), Assert.Single(events).Start?.Offset);
    }

    [Fact]
    public void All_day_and_floating_times_are_kept_as_written()
    {
        var (events, _) = Read("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDTSTART;VALUE=DATE:20240601\nDTEND:20240602T120000\nEND:VEVENT\nEND:VCALENDAR\n");

        var e = Assert.Single(events);
        Assert.Equal(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero), e.Start);
        Assert.Equal(new DateTimeOffset(2024, 6, 2, 12, 0, 0, TimeSpan.Zero), e.End);
    }

    [Fact]
    public void Alarm_attendees_and_descriptions_do_not_leak_into_the_event()
    {
        var (events, _) = Read("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nSUMMARY:Real\nBEGIN:VALARM\nSUMMARY:Alarm\nATTENDEE:mailto:alarm@x\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR\n");

        var e = Assert.Single(events);
        Assert.Equal("Real", e.Summary);
        Assert.Empty(e.Attendees);
    }

    [Fact]
    public void Folded_lines_are_unfolded()
    {
        var (events, _) = Read("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nSUMMARY:A long\n  summary\nATTENDEE;RSVP=\n TRUE:mailto:a@x\nEND:VEVENT\nEND:VCALENDAR\n");

        var e = Assert.Single(events);
        Assert.Equal("A long summary", e.Summary);
        Assert.Equal(["a@x"], e.Attendees);
    }

    [Theory]
    [InlineData("not a calendar at all", "part 1: calendar has no BEGIN:VCALENDAR")]
    [InlineData("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDTSTART:tomorrow\n", "part 1: calendar DTSTART could not be read: \"tomorrow\"")]
    [InlineData("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDTSTART;TZID=Mars/Olympus:20240101T100000\nEND:VEVENT\nEND:VCALENDAR\n", "part 1: unknown calendar time zone \"Mars/Olympus\"; DTSTART read as UTC")]
    [InlineData("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nno colon here\nEND:VEVENT\nEND:VCALENDAR\n", "part 1: 1 calendar lines could not be read")]
    public void Broken_calendar_is_a_problem_not_an_exception(string calendar, string problem)
    {
        var (_, problems) = Read(calendar);

        Assert.Contains(problem, problems);
    }

    [Fact]
    public void The_same_event_sent_twice_in_one_message_is_listed_once()
    {
        const string calendar = "BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:dup@x\nSEQUENCE:1\nDTSTART:20240101T100000Z\nEND:VEVENT\nEND:VCALENDAR\n";
        var message = TestMessages.Normalize($"""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/calendar; method=REQUEST

            {calendar}
            --m
            Content-Type: application/ics; name=invite.ics
            Content-Disposition: attachment; filename=invite.ics

            {calendar}
            --m--
            """);

        Assert.Single(message.CalendarEvents);
    }
}
