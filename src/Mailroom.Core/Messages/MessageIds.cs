using MimeKit;
using MimeKit.Utils;

namespace Mailroom.Core.Messages;

/// <summary>
/// Message-ID, In-Reply-To and References as threading needs them: MimeKit's msg-id parsing, angle brackets and
/// whitespace removed, and only ids that can identify something kept.
/// </summary>
public static class MessageIds
{
    // RFC 5322 caps a line at 998 characters; anything longer is not an id a mail client wrote.
    private const int MaxLength = 998;

    /// <summary>The Message-ID of a raw header value, or null when there is none worth keeping.</summary>
    public static string? ParseMessageId(byte[] rawValue)
    {
        string? id = null;
        try
        {
            id = MimeUtils.ParseMessageId(rawValue, 0, rawValue.Length);
        }
        catch (ArgumentException)
        {
            // MimeKit gave up; the fallback below still reads a plain token.
        }

        return Normalize(id) ?? Normalize(Rfc2047.DecodeText(rawValue));
    }

    /// <summary>The ids of an In-Reply-To or References header, in order, without repeats.</summary>
    public static void AddReferences(byte[] rawValue, List<string> ids, HashSet<string> seen)
    {
        foreach (var reference in MimeUtils.EnumerateReferences(rawValue, 0, rawValue.Length))
        {
            if (Normalize(reference) is { } id && seen.Add(id))
                ids.Add(id);
        }
    }

    /// <summary>
    /// An id without angle brackets and surrounding whitespace, or null when it is empty, too long, or contains
    /// whitespace, control characters or brackets (then it is not an id but text that happened to be there).
    /// </summary>
    public static string? Normalize(string? value)
    {
        if (value is null)
            return null;

        var span = value.AsSpan().Trim();
        if (span.Length >= 2 && span[0] == '<' && span[^1] == '>')
            span = span[1..^1].Trim();

        if (span.IsEmpty || span.Length > MaxLength || span is "@")
            return null;

        foreach (var c in span)
        {
            if (c <= ' ' || c == '\u007f' || c == '<' || c == '>' || char.IsWhiteSpace(c))
                return null;
        }

        return span.Length == value.Length ? value : span.ToString();
    }

    /// <summary>The Content-ID of a part without angle brackets, or null.</summary>
    public static string? ContentId(MimeEntity entity)
    {
        string? id = null;
        try
        {
            id = entity.ContentId;
        }
        catch (ParseException)
        {
            // A Content-ID MimeKit cannot parse is still worth matching against cid: links as written.
        }

        if (Normalize(id) is { } parsed)
            return parsed;

        var raw = entity.Headers[HeaderId.ContentId];
        return Normalize(raw);
    }
}
