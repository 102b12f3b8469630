using System.Text;
using System.Text.Unicode;
using MimeKit;
using MimeKit.Utils;

namespace Mailroom.Core.Messages;

/// <summary>
/// Reads the top-level header fields of a message. Values are taken from the raw header bytes, so that unencoded
/// 8-bit text that is not UTF-8 can be read again in the message's fallback charset (and the problem recorded).
/// </summary>
internal static class HeaderReader
{

    public static string? MessageId(HeaderList headers, ProblemList problems)
    {
        if (First(headers, HeaderId.MessageId) is not { } header)
        {
            problems.Add("no Message-ID header");
            return null;
        }

        var id = MessageIds.ParseMessageId(header.RawValue);
        if (id is null)
            problems.Add($"Message-ID header is not a usable id: {ProblemList.Quote(header.Value)}");
        return id;
    }

    /// <summary>The first usable id of the In-Reply-To header(s).</summary>
    public static string? InReplyTo(HeaderList headers)
    {
        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var header in headers)
        {
            if (header.Id != HeaderId.InReplyTo)
                continue;
            MessageIds.AddReferences(header.RawValue, ids, seen);
            if (ids.Count > 0)
                return ids[0];
        }

        return null;
    }

    public static IReadOnlyList<string> References(HeaderList headers)
    {
        List<string>? ids = null;
        HashSet<string>? seen = null;
        foreach (var header in headers)
        {
            if (header.Id == HeaderId.References)
                MessageIds.AddReferences(header.RawValue, ids ??= [], seen ??= new HashSet<string>(StringComparer.Ordinal));
        }

        return ids is null ? [] : ids;
    }

    public static string? Subject(HeaderList headers, NormalizationSession session)
    {
        if (First(headers, HeaderId.Subject) is not { } header)
            return null;

        string text;
        if (HasNonUtf8EightBit(header.RawValue))
        {
            var (raw, options) = ReadEightBit(header, session);
            text = Rfc2047.DecodeText(options, EncodedWords.ReplaceUtf7(raw));
        }
        else if (EncodedWords.HasUtf7(header.RawValue))
        {
            text = Rfc2047.DecodeText(MessageNormalizer.Options, EncodedWords.ReplaceUtf7(header.RawValue));
        }
        else
        {
            text = header.Value;
        }

        return Unfold(text).Trim();
    }

    public static DateTimeOffset? Date(HeaderList headers, ProblemList problems)
    {
        if (First(headers, HeaderId.Date) is not { } header)
        {
            problems.Add("no Date header");
            return null;
        }

        var raw = header.RawValue;
        if (DateUtils.TryParse(raw, 0, raw.Length, out var date))
            return date;

        problems.Add($"Date header could not be read: {ProblemList.Quote(header.Value)}");
        return null;
    }

    /// <summary>Records header lines that MimeKit kept although they have no colon (so no field name).</summary>
    public static void CheckFieldNames(HeaderList headers, string where, ProblemList problems)
    {
        foreach (var header in headers)
        {
            if (header.Id == HeaderId.Unknown && !IsFieldName(header.Field))
                problems.Add($"{where}: header line without a colon ignored: {ProblemList.Quote(header.Field)}");
        }
    }

    internal static string Unfold(string value)
    {
        if (value.AsSpan().IndexOfAny('\r', '\n') < 0)
            return value;
        return value.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
    }

    // Unencoded 8-bit header text that is not valid UTF-8. Damaged UTF-8 stays UTF-8, its invalid bytes replaced
    // (MimeKit would pick Latin-1 for it, which never fails); anything else is read in the fallback charset.
    internal static (byte[] Raw, ParserOptions Options) ReadEightBit(Header header, NormalizationSession session)
    {
        if (Charsets.IsMostlyUtf8(header.RawValue))
        {
            session.Problems.Add($"{header.Field} header has invalid UTF-8; the invalid bytes were replaced");
            return (Encoding.UTF8.GetBytes(Charsets.Utf8.GetString(header.RawValue)), MessageNormalizer.Options);
        }

        session.Problems.Add($"{header.Field} header has 8-bit text that is not UTF-8; read as {session.FallbackEncoding.WebName}");
        return (header.RawValue, session.FallbackOptions);
    }

    // The same reading as ReadEightBit, as UTF-8 bytes, so that later steps see one charset.
    internal static byte[] ReadEightBitAsUtf8(Header header, NormalizationSession session)
    {
        var (raw, options) = ReadEightBit(header, session);
        return ReferenceEquals(options, MessageNormalizer.Options) ? raw : Encoding.UTF8.GetBytes(session.FallbackEncoding.GetString(raw));
    }

    private static Header? First(HeaderList headers, HeaderId id)
    {
        var index = headers.IndexOf(id);
        return index < 0 ? null : headers[index];
    }

    internal static bool HasNonUtf8EightBit(byte[] raw) =>
        raw.AsSpan().IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0 && !Utf8.IsValid(raw);

    private static bool IsFieldName(string field)
    {
        if (field.Length == 0)
            return false;
        foreach (var c in field)
        {
            if (c is <= ' ' or > '~' or ':')
                return false;
        }

        return true;
    }
}
