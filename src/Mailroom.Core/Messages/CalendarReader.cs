using System.Globalization;
using System.Text;

namespace Mailroom.Core.Messages;

/// <summary>
/// Reads the events of a text/calendar part (RFC 5545): just what a mail view shows, read tolerantly. A broken
/// calendar yields what could be read plus problems, never an exception.
/// </summary>
internal static class CalendarReader
{
    /// <summary>The VEVENTs of an iCalendar text.</summary>
    /// <param name="text">The decoded calendar.</param>
    /// <param name="methodParameter">The <c>method</c> parameter of the Content-Type, which wins over METHOD inside.</param>
    /// <param name="where">The part, for problem messages.</param>
    /// <param name="problems">Where problems go.</param>
    public static IReadOnlyList<CalendarEventInfo> Read(string text, string? methodParameter, string where, ProblemList problems)
    {
        var zones = new Dictionary<string, CalendarTimeZone>(StringComparer.OrdinalIgnoreCase);
        var drafts = new List<CalendarEventDraft>();
        var stack = new List<string>();
        string? calendarMethod = null;
        CalendarEventDraft? current = null;
        CalendarTimeZone? zone = null;
        CalendarTimeZone.Observance? observance = null;
        var unreadable = 0;
        var sawCalendar = false;

        foreach (var line in CalendarContentLine.Unfold(text))
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            if (!CalendarContentLine.TryParse(line, out var content))
            {
                unreadable++;
                continue;
            }

            if (content.Name is "BEGIN" or "END")
            {
                var component = content.Value.Trim().ToUpperInvariant();
                if (content.Name == "BEGIN")
                {
                    stack.Add(component);
                    switch (component)
                    {
                        case "VCALENDAR":
                            sawCalendar = true;
                            break;
                        case "VEVENT":
                            current ??= new CalendarEventDraft();
                            break;
                        case "VTIMEZONE":
                            zone = new CalendarTimeZone();
                            break;
                        case "STANDARD" or "DAYLIGHT" when zone is not null:
                            observance = new CalendarTimeZone.Observance(component == "DAYLIGHT");
                            break;
                    }

                    continue;
                }

                var open = stack.LastIndexOf(component);
                if (open < 0)
                {
                    unreadable++;
                    continue;
                }

                stack.RemoveRange(open, stack.Count - open);
                switch (component)
                {
                    case "VEVENT" when current is not null:
                        drafts.Add(current);
                        current = null;
                        break;
                    case "VTIMEZONE" when zone is not null:
                        if (!string.IsNullOrWhiteSpace(zone.Id))
                            zones[zone.Id.Trim()] = zone;
                        zone = null;
                        break;
                    case "STANDARD" or "DAYLIGHT" when observance is not null:
                        zone?.Observances.Add(observance);
                        observance = null;
                        break;
                }

                continue;
            }

            switch (stack.Count > 0 ? stack[^1] : null)
            {
                case "VCALENDAR" when content.Name == "METHOD":
                    calendarMethod = content.Value;
                    break;
                case "VEVENT":
                    current?.Set(content);
                    break;
                case "VTIMEZONE" when content.Name == "TZID" && zone is not null:
                    zone.Id = content.Value;
                    break;
                case "STANDARD" or "DAYLIGHT" when observance is not null:
                    SetObservance(observance, content);
                    break;
            }
        }

        if (!sawCalendar)
            problems.Add($"{where}: calendar has no BEGIN:VCALENDAR");
        if (current is not null)
        {
            problems.Add($"{where}: calendar event is not closed (END:VEVENT missing)");
            drafts.Add(current);
        }

        if (unreadable > 0)
            problems.Add($"{where}: {unreadable} calendar lines could not be read");

        var method = (string.IsNullOrWhiteSpace(methodParameter) ? calendarMethod : methodParameter)?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(method))
            method = null;

        var events = new List<CalendarEventInfo>(drafts.Count);
        foreach (var draft in drafts)
            events.Add(draft.Build(method, zones, where, problems));
        return events;
    }

    /// <summary>A DATE or DATE-TIME value as written (<c>20240115</c>, <c>20240115T100000</c>, <c>...Z</c>), or null.</summary>
    public static DateTime? ParseDateTime(string value, out bool isUtc)
    {
        var span = value.AsSpan().Trim();
        isUtc = span.EndsWith("Z", StringComparison.OrdinalIgnoreCase);
        if (isUtc)
            span = span[..^1];

        string[] formats = ["yyyyMMdd'T'HHmmss", "yyyyMMdd'T'HHmm", "yyyyMMdd"];
        return DateTime.TryParseExact(span, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : null;
    }

    /// <summary>An RFC 5545 duration (<c>PT1H30M</c>, <c>P1D</c>, <c>-PT15M</c>, <c>P2W</c>), or null.</summary>
    public static TimeSpan? ParseDuration(string value)
    {
        var span = value.AsSpan().Trim();
        var sign = 1;
        if (span.StartsWith("-"))
            sign = -1;
        span = span.TrimStart("+-");
        if (span.IsEmpty || char.ToUpperInvariant(span[0]) != 'P')
            return null;

        var total = TimeSpan.Zero;
        var number = 0L;
        var digits = false;
        foreach (var c in span[1..])
        {
            if (char.IsAsciiDigit(c))
            {
                number = Math.Min(number * 10 + (c - '0'), 100_000);
                digits = true;
                continue;
            }

            var unit = char.ToUpperInvariant(c);
            if (unit == 'T')
                continue;
            if (!digits)
                return null;

            total += unit switch
            {
                'W' => TimeSpan.FromDays(7 * number),
                'D' => TimeSpan.FromDays(number),
                'H' => TimeSpan.FromHours(number),
                'M' => TimeSpan.FromMinutes(number),
                'S' => TimeSpan.FromSeconds(number),
                _ => TimeSpan.Zero,
            };
            number = 0;
            digits = false;
        }

        return sign * total;
    }

    private static void SetObservance(CalendarTimeZone.Observance observance, CalendarContentLine content)
    {
        switch (content.Name)
        {
            case "DTSTART":
                observance.Start = ParseDateTime(content.Value, out _);
                break;
            case "TZOFFSETFROM":
                observance.OffsetFrom = ParseOffset(content.Value);
                break;
            case "TZOFFSETTO":
                observance.OffsetTo = ParseOffset(content.Value);
                break;
            case "RRULE":
                observance.Rule = content.Value;
                break;
            case "RDATE":
                foreach (var date in content.Value.Split(','))
                {
                    if (ParseDateTime(date, out _) is { } onset)
                        observance.ExtraOnsets.Add(onset);
                }

                break;
        }
    }

    // +0100, -0500, +053000
    private static TimeSpan? ParseOffset(string value)
    {
        var span = value.AsSpan().Trim();
        if (span.Length is not (5 or 7) || span[0] is not ('+' or '-'))
            return null;
        if (!int.TryParse(span[1..3], NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(span[3..5], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
            return null;

        var seconds = 0;
        if (span.Length == 7 && !int.TryParse(span[5..7], NumberStyles.None, CultureInfo.InvariantCulture, out seconds))
            return null;

        var offset = new TimeSpan(hours, minutes, seconds);
        return span[0] == '-' ? -offset : offset;
    }

    internal static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
            return value.Trim();

        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                var next = value[++i];
                text.Append(next is 'n' or 'N' ? '\n' : next);
            }
            else
            {
                text.Append(value[i]);
            }
        }

        return text.ToString().Trim();
    }

    internal static string? StripMailto(string value)
    {
        var address = value.Trim();
        if (address.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            address = address[7..].Trim();
        return address.Length == 0 ? null : address;
    }
}
