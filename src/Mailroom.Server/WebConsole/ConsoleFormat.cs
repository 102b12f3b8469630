using System.Globalization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Mailroom.Server.WebConsole;

/// <summary>How the console writes times, sizes and durations. Times go out as UTC and the page shows them in the viewer's zone.</summary>
internal static class ConsoleFormat
{
    public static IHtmlContent Time(DateTimeOffset? at)
    {
        // Built with TagBuilder, which encodes what it writes, rather than as a string of HTML.
        if (at is not { } t)
        {
            var never = new TagBuilder("span");
            never.AddCssClass("muted");
            never.InnerHtml.Append("never");
            return never;
        }
        var utc = t.ToUniversalTime();
        var time = new TagBuilder("time");
        time.Attributes["datetime"] = utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        time.InnerHtml.Append(utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        return time;
    }

    /// <summary>How long ago, in words a person reads at a glance ("4 min", "2 h 5 min").</summary>
    public static string Ago(DateTimeOffset? at, DateTimeOffset now) => at is { } t ? Duration(now - t) : "never";

    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
            span = TimeSpan.Zero;
        return span.TotalSeconds < 60 ? $"{(int)span.TotalSeconds} s"
            : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes} min"
            : span.TotalHours < 48 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : $"{(int)span.TotalDays} d";
    }

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
    };

    public static string Word<T>(T value) where T : struct, Enum => EnumWords.Of(value);
}
