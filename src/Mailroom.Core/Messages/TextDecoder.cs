using System.Text;
using System.Text.Unicode;
using MimeKit;
using MimeKit.Text;

namespace Mailroom.Core.Messages;

/// <summary>
/// Turns a text part into a string. The declared charset is trusted until the bytes contradict it: invalid UTF-8,
/// an unknown label, 8-bit bytes under US-ASCII, or a single-byte label over content that is valid UTF-8. Then the
/// content is read as UTF-8 or, failing that, as the message's fallback charset, and the problem is recorded.
/// </summary>
internal static class TextDecoder
{
    /// <summary>Decodes a part's transfer encoding and charset.</summary>
    public static string Decode(MimePart part, string where, ProblemList problems, Func<Encoding> fallback)
    {
        if (part.Content is null)
            return "";

        using var buffer = new PooledBufferStream(EstimateDecodedLength(part.Content));
        part.Content.DecodeTo(buffer);

        var declared = part.ContentType.Charset;
        Encoding? detected = null;
        if (string.IsNullOrWhiteSpace(declared) && part is TextPart textPart && textPart.IsHtml
            && textPart.TryDetectEncoding(out var meta, out var confidence) && confidence != TextEncodingConfidence.Irrelevant)
        {
            // No charset on the Content-Type: an HTML part may still say it in a <meta> tag.
            detected = meta;
        }

        var text = Decode(buffer.WrittenSpan, declared, detected, where, problems, fallback);
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            // Binary content read as text; NUL cannot be stored in a PostgreSQL text column or shown.
            problems.Add($"{where}: the text contains NUL characters; they were removed");
            text = text.Replace("\0", "", StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Decodes bytes given the declared charset label (or a charset found in the content itself).</summary>
    public static string Decode(
        ReadOnlySpan<byte> bytes, string? declaredCharset, Encoding? detected, string where, ProblemList problems, Func<Encoding> fallback)
    {
        if (bytes.IsEmpty)
            return "";

        if (TryDecodeWithByteOrderMark(bytes, out var withBom))
            return withBom;

        var declared = Charsets.Resolve(declaredCharset);
        if (declared is null && !string.IsNullOrWhiteSpace(declaredCharset))
            problems.Add($"{where}: unknown charset {ProblemList.Quote(declaredCharset)}; {Guessed(bytes, fallback)}");

        declared ??= detected;
        var ascii = System.Text.Ascii.IsValid(bytes);
        if (ascii && (declared is null || Charsets.IsAsciiCompatible(declared)))
            return Encoding.ASCII.GetString(bytes);

        if (declared is null)
        {
            if (Utf8.IsValid(bytes))
                return Charsets.Utf8.GetString(bytes);

            var encoding = Charsets.IsMostlyUtf8(bytes) ? Charsets.Utf8 : fallback();
            if (string.IsNullOrWhiteSpace(declaredCharset))
                problems.Add($"{where}: no charset declared and the text is not UTF-8; {ReadAs(encoding)}");
            return encoding.GetString(bytes);
        }

        switch (declared.CodePage)
        {
            case 65001:
                if (Utf8.IsValid(bytes))
                    return Charsets.Utf8.GetString(bytes);
                var instead = Charsets.IsMostlyUtf8(bytes) ? Charsets.Utf8 : fallback();
                problems.Add($"{where}: declared charset utf-8 but the text is not valid UTF-8; {ReadAs(instead)}");
                return instead.GetString(bytes);

            case 20127:
                problems.Add($"{where}: declared charset us-ascii but the text has 8-bit bytes; {Guessed(bytes, fallback)}");
                return Utf8.IsValid(bytes) || Charsets.IsMostlyUtf8(bytes) ? Charsets.Utf8.GetString(bytes) : fallback().GetString(bytes);
        }

        if (Charsets.IsMultiByte(declared))
        {
            try
            {
                return Charsets.Strict(declared).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                if (!ascii && Utf8.IsValid(bytes))
                {
                    problems.Add($"{where}: declared charset {declared.WebName} but the text is UTF-8; read as utf-8");
                    return Charsets.Utf8.GetString(bytes);
                }

                problems.Add($"{where}: the text has bytes that are invalid in {declared.WebName}; they were replaced");
                return declared.GetString(bytes);
            }
        }

        // Single-byte charsets accept any byte, so a wrong label only shows when the text happens to be valid UTF-8,
        // which 8-bit text in a real single-byte charset almost never is.
        if (!ascii && declared.CodePage is not (1200 or 1201 or 12000 or 12001) && Utf8.IsValid(bytes))
        {
            problems.Add($"{where}: declared charset {declared.WebName} but the text is UTF-8; read as utf-8");
            return Charsets.Utf8.GetString(bytes);
        }

        // ISO-8859-1 in mail is Windows-1252 in practice (curly quotes, euro sign), as in browsers.
        return declared.CodePage == 28591 ? Charsets.Windows1252.GetString(bytes) : declared.GetString(bytes);
    }

    private static string Guessed(ReadOnlySpan<byte> bytes, Func<Encoding> fallback) =>
        System.Text.Ascii.IsValid(bytes) || Utf8.IsValid(bytes) ? "read as utf-8"
            : Charsets.IsMostlyUtf8(bytes) ? ReadAs(Charsets.Utf8)
            : ReadAs(fallback());

    private static string ReadAs(Encoding encoding) =>
        encoding.CodePage == 65001 ? "read as utf-8 with the invalid bytes replaced" : $"read as {encoding.WebName}";

    private static bool TryDecodeWithByteOrderMark(ReadOnlySpan<byte> bytes, out string text)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            text = Charsets.Utf8.GetString(bytes[3..]);
            return true;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            text = Encoding.Unicode.GetString(bytes[2..]);
            return true;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            text = Encoding.BigEndianUnicode.GetString(bytes[2..]);
            return true;
        }

        text = "";
        return false;
    }

    private static int EstimateDecodedLength(IMimeContent content)
    {
        if (content.Stream is not { CanSeek: true } stream)
            return 4096;

        var length = content.Encoding == ContentEncoding.Base64 ? stream.Length / 4 * 3 : stream.Length;
        return (int)Math.Clamp(length + 16, 256, 64 * 1024 * 1024);
    }
}
