using System.Collections.Concurrent;
using System.Text;

namespace Mailroom.Core.Messages;

/// <summary>Maps charset labels as mail writes them (<c>cp1251</c>, <c>x-gbk</c>, <c>"UTF8"</c>) to .NET encodings.</summary>
internal static class Charsets
{
    // Hostile input can name any number of charsets; the cache only keeps a bounded set of labels.
    private const int MaxCachedLabels = 512;

    private static readonly ConcurrentDictionary<string, Encoding?> ByLabel = new(StringComparer.OrdinalIgnoreCase);
    private static readonly ConcurrentDictionary<int, Encoding> StrictByCodePage = new();

    static Charsets()
    {
        // KOI8-R, Windows-125x, ISO-2022-JP, GB18030, Shift_JIS, ... are not built into .NET; mail needs them all.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>Windows-1252: what mail labelled (or not labelled) ISO-8859-1 or US-ASCII really is, as browsers assume.</summary>
    public static Encoding Windows1252 => Encoding.GetEncoding(1252);

    /// <summary>UTF-8 without a byte-order mark; invalid bytes become U+FFFD.</summary>
    public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Makes sure the code-page provider is registered before the first lookup.</summary>
    public static void EnsureRegistered()
    {
        // The static constructor does the work; calling any member runs it once.
    }

    /// <summary>The encoding a charset label names, or null when the label is empty or unknown.</summary>
    public static Encoding? Resolve(string? label)
    {
        if (string.IsNullOrWhiteSpace(label))
            return null;

        var name = label.Trim().Trim('"', '\'').Trim();
        if (name.Length is 0 or > 64)
            return null;

        if (ByLabel.TryGetValue(name, out var cached))
            return cached;

        var encoding = Lookup(name.ToLowerInvariant());
        if (ByLabel.Count < MaxCachedLabels)
            ByLabel.TryAdd(name, encoding);
        return encoding;
    }

    /// <summary>The same code page, but throwing <see cref="DecoderFallbackException"/> on bytes it cannot decode.</summary>
    public static Encoding Strict(Encoding encoding) =>
        StrictByCodePage.GetOrAdd(
            encoding.CodePage,
            static codePage => Encoding.GetEncoding(codePage, EncoderFallback.ReplacementFallback, DecoderFallback.ExceptionFallback));

    /// <summary>
    /// True for 8-bit text that is UTF-8 with some damage (a character cut in two, a stray byte): it has more valid
    /// multi-byte sequences than invalid bytes. Text in a single-byte charset almost never forms valid sequences.
    /// </summary>
    public static bool IsMostlyUtf8(ReadOnlySpan<byte> bytes)
    {
        int valid = 0, invalid = 0;
        while (!bytes.IsEmpty)
        {
            var ascii = bytes.IndexOfAnyInRange((byte)0x80, (byte)0xFF);
            if (ascii < 0)
                break;
            bytes = bytes[ascii..];

            if (System.Text.Rune.DecodeFromUtf8(bytes, out _, out var consumed) == System.Buffers.OperationStatus.Done)
                valid++;
            else
                invalid++;
            bytes = bytes[Math.Max(consumed, 1)..];
        }

        return valid > invalid;
    }

    /// <summary>True when ASCII bytes mean ASCII characters in this encoding (false for ISO-2022-*, UTF-16, UTF-7, HZ).</summary>
    public static bool IsAsciiCompatible(Encoding encoding) =>
        encoding.CodePage is not (1200 or 1201 or 12000 or 12001 or 50220 or 50221 or 50222 or 50225 or 50227 or 52936 or 65000);

    /// <summary>True for multi-byte encodings whose byte sequences can be invalid, so that a wrong label shows.</summary>
    public static bool IsMultiByte(Encoding encoding) =>
        encoding.CodePage is 932 or 936 or 949 or 950 or 54936 or 20932 or 51932 or 51936 or 51949 or 50220 or 50221 or 50222;

    private static Encoding? Lookup(string name)
    {
        // .NET will not give UTF-7 out by name; old Outlook versions still send it.
        if (Utf7.IsLabel(name))
            return Utf7.Encoding;

        switch (name)
        {
            case "utf8" or "utf-8" or "unicode-1-1-utf-8" or "x-unicode20utf8" or "unicode-2-0-utf-8":
                return Utf8;
            // GB18030 is a superset of GBK and GB2312, and senders labelled GB2312 routinely use GBK characters.
            case "gb2312" or "gbk" or "cp936" or "euc-cn" or "gb-2312-80" or "x-euc-cn" or "csgb2312" or "chinese" or "gb18030":
                return Encoding.GetEncoding(54936);
            case "shift-jis" or "shift_jis" or "sjis" or "ms-kanji" or "windows-31j" or "cp932" or "csshiftjis":
                return Encoding.GetEncoding(932);
            case "big5-hkscs" or "cn-big5" or "csbig5":
                return Encoding.GetEncoding(950);
            case "iso-8859-11" or "tis-620" or "windows-874" or "cp874":
                return Encoding.GetEncoding(874);
            case "default" or "unknown" or "unknown-8bit" or "x-unknown" or "8bit" or "binary" or "none" or "charset":
                return null;
        }

        if (TryGet(name) is { } direct)
            return direct;

        // iso_8859-1, shift_jis, ... are also written with dashes.
        if (name.Contains('_', StringComparison.Ordinal))
            return Lookup(name.Replace('_', '-'));

        // x-koi8-r, x-mac-cyrillic, ...
        if (name.StartsWith("x-", StringComparison.Ordinal) && TryGet(name[2..]) is { } unprefixed)
            return unprefixed;

        // cp1251, win-1251, win1251, windows1251 -> windows-1251; cp866 -> ibm866
        foreach (var prefix in (ReadOnlySpan<string>)["windows", "win-", "win", "cp", "ms"])
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal))
                continue;
            var digits = name.AsSpan(prefix.Length).TrimStart('-');
            if (int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var codePage)
                && codePage is > 0 and < 65536)
            {
                return TryGet(codePage is >= 1250 and <= 1258 ? $"windows-{codePage}" : $"ibm{codePage}") ?? TryGet(codePage);
            }
        }

        // iso8859-1, iso-8859_1, iso88591 -> iso-8859-1
        if (name.StartsWith("iso", StringComparison.Ordinal))
        {
            var rest = name.AsSpan(3).TrimStart('-');
            if (rest.StartsWith("8859", StringComparison.Ordinal))
            {
                var part = rest[4..].TrimStart('-');
                if (!part.IsEmpty)
                    return TryGet($"iso-8859-{part}");
            }
        }

        return null;
    }

    private static Encoding? TryGet(string name)
    {
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static Encoding? TryGet(int codePage)
    {
        try
        {
            return Encoding.GetEncoding(codePage);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}
