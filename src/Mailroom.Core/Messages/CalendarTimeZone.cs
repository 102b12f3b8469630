using System.Collections.Concurrent;
using System.Globalization;

namespace Mailroom.Core.Messages;

/// <summary>
/// Offsets for a TZID: the system time-zone database first (IANA ids, and Windows ids such as
/// <c>W. Europe Standard Time</c> through ICU), then the calendar's own VTIMEZONE definition for names only the
/// sender knows (<c>Customized Time Zone</c>), evaluated for the usual yearly rules.
/// </summary>
internal sealed class CalendarTimeZone
{
    private const int MaxCachedZones = 256;
    private static readonly ConcurrentDictionary<string, TimeZoneInfo?> SystemZones = new(StringComparer.OrdinalIgnoreCase);

    public string? Id { get; set; }

    public List<Observance> Observances { get; } = [];

    /// <summary>The UTC offset of a wall-clock time in the named zone, or null when the zone is unknown.</summary>
    public static TimeSpan? OffsetOf(string tzid, DateTime local, IReadOnlyDictionary<string, CalendarTimeZone> defined)
    {
        if (FindSystemZone(tzid) is { } system)
            return system.GetUtcOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified));

        return defined.TryGetValue(tzid, out var zone) ? zone.OffsetAt(local) : null;
    }

    /// <summary>The offset this VTIMEZONE gives a wall-clock time: that of the observance that began last before it.</summary>
    public TimeSpan? OffsetAt(DateTime local)
    {
        Observance? latest = null;
        var latestOnset = DateTime.MinValue;
        foreach (var observance in Observances)
        {
            if (observance.LastOnsetAtOrBefore(local) is { } onset && (latest is null || onset > latestOnset))
            {
                latest = observance;
                latestOnset = onset;
            }
        }

        if (latest is not null)
            return latest.OffsetTo;

        // Before every onset: the earliest observance says what was in force before it.
        var first = Observances.Where(o => o.Start is not null).MinBy(o => o.Start);
        return first?.OffsetFrom ?? Observances.FirstOrDefault(o => !o.IsDaylight)?.OffsetTo ?? Observances.FirstOrDefault()?.OffsetTo;
    }

    private static TimeZoneInfo? FindSystemZone(string tzid)
    {
        var id = tzid.Trim().Trim('"');
        if (SystemZones.TryGetValue(id, out var cached))
            return cached;

        TimeZoneInfo? found = null;
        if (id.Length is > 0 and < 128)
        {
            // Old Mozilla ids carry a prefix: /mozilla.org/20050126_1/Europe/Berlin.
            var segments = id.Split('/', StringSplitOptions.RemoveEmptyEntries);
            for (var k = 0; k < segments.Length && found is null; k++)
            {
                var candidate = k == 0 && id[0] != '/' ? id : string.Join('/', segments[k..]);
                if (TimeZoneInfo.TryFindSystemTimeZoneById(candidate, out var zone))
                    found = zone;
            }
        }

        if (SystemZones.Count < MaxCachedZones)
            SystemZones.TryAdd(id, found);
        return found;
    }

    /// <summary>A STANDARD or DAYLIGHT block: from its onset on, <see cref="OffsetTo"/> is in force.</summary>
    internal sealed class Observance(bool isDaylight)
    {
        public bool IsDaylight { get; } = isDaylight;
        public DateTime? Start { get; set; }
        public TimeSpan? OffsetFrom { get; set; }
        public TimeSpan? OffsetTo { get; set; }
        public string? Rule { get; set; }
        public List<DateTime> ExtraOnsets { get; } = [];

        public DateTime? LastOnsetAtOrBefore(DateTime local)
        {
            if (Start is not { } start || start > local)
                return null;

            DateTime? best = start;
            foreach (var extra in ExtraOnsets)
            {
                if (extra <= local && extra > best)
                    best = extra;
            }

            if (Rule is not null && YearlyRule.TryParse(Rule, out var rule))
            {
                for (var year = local.Year; year >= local.Year - 1 && year >= start.Year; year--)
                {
                    var onset = rule.OnsetIn(year, start.TimeOfDay);
                    if (onset is { } o && o <= local && o >= start && (rule.Until is null || o <= rule.Until))
                    {
                        if (o > best)
                            best = o;
                        break;
                    }
                }
            }

            return best;
        }
    }

    /// <summary>FREQ=YEARLY;BYMONTH=m;BYDAY=nDD, the shape nearly every VTIMEZONE uses.</summary>
    private readonly record struct YearlyRule(int Month, int Week, DayOfWeek Day, DateTime? Until)
    {
        public static bool TryParse(string rule, out YearlyRule result)
        {
            result = default;
            int month = 0, week = 0;
            DayOfWeek? day = null;
            DateTime? until = null;
            var yearly = false;
            foreach (var part in rule.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = part.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0)
                    continue;
                var key = part[..eq].ToUpperInvariant();
                var value = part[(eq + 1)..].ToUpperInvariant();
                switch (key)
                {
                    case "FREQ":
                        yearly = value == "YEARLY";
                        break;
                    case "BYMONTH":
                        _ = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out month);
                        break;
                    case "BYDAY" when value.Length >= 2:
                        day = DayOf(value[^2..]);
                        week = value.Length == 2 ? 1 : int.TryParse(value[..^2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : 0;
                        break;
                    case "UNTIL":
                        until = CalendarReader.ParseDateTime(value, out _);
                        break;
                }
            }

            if (!yearly || month is < 1 or > 12 || day is null || week is 0 or < -5 or > 5)
                return false;

            result = new YearlyRule(month, week, day.Value, until);
            return true;
        }

        public DateTime? OnsetIn(int year, TimeSpan timeOfDay)
        {
            if (year is < 1 or > 9998)
                return null;

            DateTime date;
            if (Week > 0)
            {
                var first = new DateTime(year, Month, 1);
                date = first.AddDays(((int)Day - (int)first.DayOfWeek + 7) % 7 + (Week - 1) * 7);
            }
            else
            {
                var last = new DateTime(year, Month, DateTime.DaysInMonth(year, Month));
                date = last.AddDays(-(((int)last.DayOfWeek - (int)Day + 7) % 7) + (Week + 1) * 7);
            }

            return date.Month == Month ? date + timeOfDay : null;
        }

        private static DayOfWeek? DayOf(string code) => code switch
        {
            "SU" => DayOfWeek.Sunday,
            "MO" => DayOfWeek.Monday,
            "TU" => DayOfWeek.Tuesday,
            "WE" => DayOfWeek.Wednesday,
            "TH" => DayOfWeek.Thursday,
            "FR" => DayOfWeek.Friday,
            "SA" => DayOfWeek.Saturday,
            _ => null,
        };
    }
}
