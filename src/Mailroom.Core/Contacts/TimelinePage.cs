using System.Globalization;

namespace Mailroom.Core.Contacts;

/// <summary>A page of a timeline, newest first, and the cursor of the next page (null at the end).</summary>
public sealed record TimelinePage(IReadOnlyList<TimelineEntry> Entries, string? NextCursor);

/// <summary>
/// A keyset position in a timeline: the sort time (Unix microseconds) and the message id of the last entry shown.
/// The next page starts strictly after it, so entries added meanwhile never shift a page as an offset would.
/// </summary>
public readonly record struct TimelineCursor(long SortMicros, long MessageId)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{SortMicros}.{MessageId}");

    /// <summary>Reads a cursor printed by <see cref="ToString"/>; false for anything else.</summary>
    public static bool TryParse(string? text, out TimelineCursor cursor)
    {
        cursor = default;
        var dot = text?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot <= 0
            || !long.TryParse(text.AsSpan(0, dot), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var micros)
            || !long.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return false;
        cursor = new TimelineCursor(micros, id);
        return true;
    }
}
