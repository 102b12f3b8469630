using System.Text;
using System.Text.RegularExpressions;

namespace Mailroom.Core.Messages;

/// <summary>
/// RFC 2047 encoded words where MimeKit leaves them alone: inside quoted display names (which RFC 2047 forbids but
/// mailers write, and the major clients decode), malformed words with spaces or commas in them, and words in UTF-7,
/// which .NET does not decode by name.
/// </summary>
internal static partial class EncodedWords
{
    // =?charset(*language)?B|Q?text?= ; the text may hold spaces in malformed words, never '?'.
    [GeneratedRegex(@"=\?(?<charset>[^?\s""*]+)(?:\*[^?]*)?\?(?<encoding>[BbQq])\?(?<text>[^?]*)\?=", RegexOptions.CultureInvariant)]
    private static partial Regex Word();

    [GeneratedRegex(@"=\?(?:utf-?7|unicode-1-1-utf-7|csunicode11utf7|x-unicode-?2-?0-utf-7)(?:\*[^?]*)?\?[BbQq]\?", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Utf7Word();

    // An RFC 2231 parameter value in UTF-7: name*=utf-7''... or its first section name*0*=utf-7''...
    [GeneratedRegex(@"\*(?:0\*)?=\s*""?(?:utf-?7|unicode-1-1-utf-7|csunicode11utf7|x-unicode-?2-?0-utf-7)'", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Utf7Parameter();

    /// <summary>True when the raw header holds an encoded word in UTF-7.</summary>
    public static bool HasUtf7(ReadOnlySpan<byte> raw) =>
        MayHaveUtf7(raw) && Utf7Word().IsMatch(Encoding.Latin1.GetString(raw));

    // Every UTF-7 label has a '7' in it, no UTF-8 or Latin-1 label does: most encoded words are ruled out here,
    // without turning the header into a string for the regex.
    private static bool MayHaveUtf7(ReadOnlySpan<byte> raw)
    {
        for (var at = raw.IndexOf("=?"u8); at >= 0; at = raw.IndexOf("=?"u8))
        {
            raw = raw[(at + 2)..];
            var end = raw.IndexOf((byte)'?');
            if ((end < 0 ? raw : raw[..end]).Contains((byte)'7'))
                return true;
        }

        return false;
    }

    /// <summary>
    /// The raw header with every UTF-7 encoded word re-encoded as a UTF-8 one, so that MimeKit decodes it; the raw
    /// bytes themselves when there is none.
    /// </summary>
    public static byte[] ReplaceUtf7(byte[] raw)
    {
        if (!HasUtf7(raw))
            return raw;

        var text = Encoding.Latin1.GetString(raw);
        var replaced = Word().Replace(text, match => Utf7.IsLabel(match.Groups["charset"].Value) && Decode(match) is { } decoded
            ? "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(decoded)) + "?="
            : match.Value);
        return Encoding.Latin1.GetBytes(replaced);
    }

    /// <summary>
    /// The part's file name (Content-Disposition filename, else Content-Type name), with UTF-7 encoded words decoded;
    /// MimeKit's reading otherwise.
    /// </summary>
    public static string? FileName(MimeKit.MimeEntity entity)
    {
        var name = entity.ContentDisposition?.FileName ?? entity.ContentType.Name;
        var source = entity.ContentDisposition?.FileName is not null ? MimeKit.HeaderId.ContentDisposition : MimeKit.HeaderId.ContentType;
        foreach (var header in entity.Headers)
        {
            // MimeKit cannot decode an RFC 2231 value in UTF-7 and keeps its bytes as Latin-1; decode them.
            if (name is not null && header.Id == source && name.Contains('+', StringComparison.Ordinal)
                && Utf7Parameter().IsMatch(Encoding.Latin1.GetString(header.RawValue)))
            {
                return Utf7.Encoding.GetString(Encoding.Latin1.GetBytes(name));
            }

            if (header.Id == MimeKit.HeaderId.ContentDisposition && HasUtf7(header.RawValue)
                && MimeKit.ContentDisposition.TryParse(MessageNormalizer.Options, ReplaceUtf7(header.RawValue), out var disposition)
                && disposition.FileName is { } fromDisposition)
            {
                return fromDisposition;
            }

            if (header.Id == MimeKit.HeaderId.ContentType && HasUtf7(header.RawValue) && entity.ContentDisposition?.FileName is null
                && MimeKit.ContentType.TryParse(MessageNormalizer.Options, ReplaceUtf7(header.RawValue), out var type)
                && type.Name is { } fromType)
            {
                return fromType;
            }
        }

        return name;
    }

    /// <summary>
    /// An address header (as UTF-8 bytes) with each quoted display name that holds encoded words replaced by its
    /// decoded text, still quoted, and UTF-7 words re-encoded; the input itself when there is nothing to do.
    /// </summary>
    public static byte[] RewriteAddressHeader(byte[] raw)
    {
        if (raw.AsSpan().IndexOf("=?"u8) < 0)
            return raw;

        // The input is UTF-8, and so is what ReplaceUtf7 makes of it: without a quoted name it is the answer.
        var utf8 = ReplaceUtf7(raw);
        if (utf8.AsSpan().IndexOf((byte)'"') < 0)
            return utf8;

        var text = Encoding.UTF8.GetString(utf8);
        var output = new StringBuilder(text.Length);
        var changed = false;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '"')
            {
                output.Append(text[i++]);
                continue;
            }

            // A quoted string: read it to its closing quote, unescaping quoted pairs.
            var content = new StringBuilder();
            var j = i + 1;
            while (j < text.Length && text[j] != '"')
            {
                if (text[j] == '\\' && j + 1 < text.Length)
                    j++;
                content.Append(text[j++]);
            }

            var value = content.ToString();
            var decoded = value.Contains("=?", StringComparison.Ordinal) ? DecodeLenient(value) : value;
            if (j >= text.Length || decoded == value)
            {
                output.Append(text, i, Math.Min(j + 1, text.Length) - i);
            }
            else
            {
                output.Append('"').Append(decoded.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                changed = true;
            }

            i = j + 1;
        }

        return changed ? Encoding.UTF8.GetBytes(output.ToString()) : utf8;
    }

    /// <summary>
    /// Decodes every encoded word in <paramref name="text"/>, tolerating what RFC 2047 forbids but mailers write
    /// (spaces and specials inside a word, words run together). Whitespace between two adjacent words is dropped, as
    /// RFC 2047 §6.2 says; a word that cannot be decoded is kept as written.
    /// </summary>
    public static string DecodeLenient(string text)
    {
        var output = new StringBuilder(text.Length);
        var last = 0;
        Match? previous = null;
        foreach (Match match in Word().Matches(text))
        {
            var between = text.AsSpan(last, match.Index - last);
            var decoded = Decode(match);
            if (decoded is null)
            {
                output.Append(text, last, match.Index + match.Length - last);
                previous = null;
            }
            else
            {
                if (previous is null || !between.IsWhiteSpace())
                    output.Append(between);
                output.Append(decoded);
                previous = match;
            }

            last = match.Index + match.Length;
        }

        return output.Append(text, last, text.Length - last).ToString();
    }

    private static string? Decode(Match word)
    {
        var charset = word.Groups["charset"].Value;
        var encoding = Charsets.Resolve(charset);
        if (encoding is null)
            return null;

        var payload = word.Groups["text"].Value;
        byte[] bytes;
        if (word.Groups["encoding"].Value is "B" or "b")
        {
            var base64 = payload.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=');
            base64 += new string('=', (4 - base64.Length % 4) % 4);
            try
            {
                bytes = Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                return null;
            }
        }
        else
        {
            bytes = DecodeQ(payload);
        }

        return encoding.GetString(bytes);
    }

    private static byte[] DecodeQ(string payload)
    {
        var bytes = new List<byte>(payload.Length);
        for (var i = 0; i < payload.Length; i++)
        {
            var c = payload[i];
            if (c == '_')
            {
                bytes.Add((byte)' ');
            }
            else if (c == '=' && i + 2 < payload.Length && Uri.IsHexDigit(payload[i + 1]) && Uri.IsHexDigit(payload[i + 2]))
            {
                bytes.Add(Convert.ToByte(payload.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add(c < 0x100 ? (byte)c : (byte)'?');
            }
        }

        return [.. bytes];
    }
}
