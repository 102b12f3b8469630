using System.Security.Cryptography;
using System.Text;

namespace Mailroom.Storage.Columns;

/// <summary>
/// Makes text storable on every provider. PostgreSQL rejects U+0000 in text and Npgsql rejects unpaired surrogates;
/// both occur in malformed mail, and a row that can never be written would stall its folder's sync forever.
/// PostgreSQL also refuses b-tree entries over ~2.7 KB, so indexed values are bounded: long identity keys are
/// replaced by a digest (deterministic, so a re-sync finds them again) and long indexed header values are cut.
/// </summary>
internal static class StoredText
{
    /// <summary>At most four UTF-8 bytes a character: 500 characters stay under PostgreSQL's index entry limit.</summary>
    public const int MaxIndexedLength = 500;

    public static string IdentityKey(string identityKey) =>
        identityKey.Length <= MaxIndexedLength
            ? Clean(identityKey)
            : "k:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identityKey)));

    /// <summary>A value for an indexed column: cleaned and cut to <see cref="MaxIndexedLength"/>.</summary>
    public static string? Indexed(string? value) => Truncate(CleanOrNull(value), MaxIndexedLength);

    public static string? Truncate(string? value, int maxLength)
    {
        if (value is null || value.Length <= maxLength)
            return value;
        var cut = char.IsHighSurrogate(value[maxLength - 1]) ? maxLength - 1 : maxLength;
        return value[..cut];
    }

    /// <summary>U+0000 and unpaired surrogates become U+FFFD; anything else is returned as is, without copying.</summary>
    public static string Clean(string value)
    {
        var span = value.AsSpan();
        if (span.IndexOf('\0') < 0 && span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
            return value;

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
            }
            else
            {
                builder.Append(c == '\0' || char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return builder.ToString();
    }

    public static string? CleanOrNull(string? value) => value is null ? null : Clean(value);
}
