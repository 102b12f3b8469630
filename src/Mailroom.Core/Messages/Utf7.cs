using System.Text;

namespace Mailroom.Core.Messages;

/// <summary>
/// UTF-7 (RFC 2152), for reading only. .NET refuses to hand it out by name (<c>Encoding.GetEncoding("utf-7")</c>
/// throws) because a browser or parser that honours it can be tricked into reading markup, so Mailroom never uses
/// it to write and only decodes text whose sender declared it; decoded HTML is sanitized like any other.
/// </summary>
internal static class Utf7
{
    /// <summary>A UTF-7 decoder; invalid sequences become U+FFFD.</summary>
    public static Encoding Encoding { get; } = Create();

    /// <summary>True for the labels that name UTF-7.</summary>
    public static bool IsLabel(string name) =>
        name.Trim().ToLowerInvariant() is "utf-7" or "utf7" or "unicode-1-1-utf-7" or "csunicode11utf7" or "x-unicode-2-0-utf-7" or "x-unicode20utf7";

    private static Encoding Create()
    {
        var encoding = (Encoding)new UTF7Encoding(allowOptionals: true).Clone();
        encoding.DecoderFallback = DecoderFallback.ReplacementFallback;
        return encoding;
    }
}
