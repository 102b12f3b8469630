namespace Mailroom.Core.Threading;

/// <summary>
/// Outlook's Thread-Index header: base64 of a 22-byte block (6 bytes of time, a 16-byte conversation GUID) followed by
/// 5 bytes per reply. Every message of an Outlook conversation carries the same first 22 bytes; the GUID names it.
/// </summary>
public static class ThreadIndexHeader
{
    /// <summary>The conversation GUID as 32 hex digits, or null when the value is not a Thread-Index.</summary>
    public static string? ConversationId(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var bytes = new byte[(value.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(value.Trim(), bytes, out var length) || length < 22 || (length - 22) % 5 != 0)
            return null;
        var guid = bytes.AsSpan(6, 16);
        return guid.IndexOfAnyExcept((byte)0) < 0 ? null : Convert.ToHexStringLower(guid);
    }
}
