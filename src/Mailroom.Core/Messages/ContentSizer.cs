using System.Buffers;
using MimeKit;

namespace Mailroom.Core.Messages;

/// <summary>
/// Decoded sizes of parts, computed by streaming the content once and never holding it in memory. Base64 is
/// counted directly (and checked on the way); other encodings are decoded into a <see cref="CountingStream"/>.
/// </summary>
internal static class ContentSizer
{
    private static readonly SearchValues<byte> Base64Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"u8);

    /// <summary>What a scan of base64 content found.</summary>
    /// <param name="DecodedLength">The number of bytes the content decodes to.</param>
    /// <param name="InvalidCharacters">Characters that are neither base64, padding nor whitespace.</param>
    /// <param name="Truncated">True when the last quantum is a single character, which decodes to nothing.</param>
    public readonly record struct Base64Scan(long DecodedLength, long InvalidCharacters, bool Truncated);

    /// <summary>The decoded size of a part's content; base64 damage is reported to <paramref name="problems"/>.</summary>
    public static long DecodedSize(MimePart part, string where, ProblemList? problems)
    {
        var content = part.Content;
        if (content?.Stream is not { } stream)
            return 0;

        if (content.Encoding == ContentEncoding.Base64)
        {
            var scan = ScanBase64(stream);
            if (problems is not null)
                Report(scan, where, problems);
            return scan.DecodedLength;
        }

        if (content.Encoding is ContentEncoding.QuotedPrintable or ContentEncoding.UUEncode)
        {
            using var counter = new CountingStream();
            content.DecodeTo(counter);
            return counter.Length;
        }

        if (stream.CanSeek)
            return stream.Length;

        return CountBytes(stream);
    }

    /// <summary>Records damage in a base64 part that is decoded rather than measured (a body).</summary>
    public static void CheckBase64(MimePart part, string where, ProblemList problems)
    {
        if (part.Content is { Encoding: ContentEncoding.Base64, Stream: { } stream })
            Report(ScanBase64(stream), where, problems);
    }

    /// <summary>
    /// MIME's canonical form (CRLF line ends), for writing out an attached message whose raw bytes are not at hand.
    /// MimeKit's default writes the platform's line ends, which is not what the sender attached.
    /// </summary>
    public static FormatOptions CanonicalFormat { get; } = CreateCanonicalFormat();

    /// <summary>
    /// The size of a message/rfc822 part re-serialized in canonical form; used only when its raw bytes are not at
    /// hand (see <see cref="NormalizationSession.RawContent"/>).
    /// </summary>
    public static long MessageSize(MessagePart part)
    {
        if (part.Message is not { } message)
            return 0;

        using var counter = new CountingStream();
        message.WriteTo(CanonicalFormat, counter);
        return counter.Length;
    }

    private static FormatOptions CreateCanonicalFormat()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }

    /// <summary>Counts base64 content without decoding it.</summary>
    public static Base64Scan ScanBase64(Stream stream)
    {
        if (stream.CanSeek)
            stream.Position = 0;

        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long alphabet = 0, invalid = 0;
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                var span = buffer.AsSpan(0, read);
                while (!span.IsEmpty)
                {
                    var stop = span.IndexOfAnyExcept(Base64Alphabet);
                    if (stop < 0)
                    {
                        alphabet += span.Length;
                        break;
                    }

                    alphabet += stop;
                    if (span[stop] is not ((byte)'=' or (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t'))
                        invalid++;
                    span = span[(stop + 1)..];
                }
            }

            var decoded = alphabet / 4 * 3 + (alphabet % 4) switch { 2 => 1, 3 => 2, _ => 0 };
            return new Base64Scan(decoded, invalid, alphabet % 4 == 1);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Report(Base64Scan scan, string where, ProblemList problems)
    {
        if (scan.InvalidCharacters > 0)
            problems.Add($"{where}: base64 content has {scan.InvalidCharacters} invalid characters; they were skipped");
        if (scan.Truncated)
            problems.Add($"{where}: base64 content is truncated");
    }

    private static long CountBytes(Stream stream)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                total += read;
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
