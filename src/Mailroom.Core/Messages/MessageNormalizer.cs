using System.Runtime.InteropServices;
using Mailroom.Core.Threading;
using MimeKit;

namespace Mailroom.Core.Messages;

/// <summary>
/// Reads raw MIME into a <see cref="NormalizedMessage"/>. Never throws because of what the bytes contain: empty
/// input, binary garbage, truncation, missing boundaries, bad encodings and unknown charsets all yield what could be
/// read, with each difficulty described in <see cref="NormalizedMessage.Problems"/>. Thread-safe.
/// </summary>
public static class MessageNormalizer
{
    private static readonly ParserOptions ParserOptions = CreateOptions();

    // Printable ASCII except ':' — the characters of a header field name (RFC 5322 §2.2).
    private static readonly System.Buffers.SearchValues<byte> HeaderNameBytes = System.Buffers.SearchValues.Create(
        "!\"#$%&'()*+,-./0123456789;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    /// <summary>The tolerant parser settings used for every message (shared; never modify).</summary>
    internal static ParserOptions Options => ParserOptions;

    /// <summary>
    /// Parses raw MIME with tolerant settings. Input whose headers cannot be read at all becomes a message without
    /// headers whose body is the whole input as text; empty input becomes an empty message. The result does not
    /// depend on <paramref name="raw"/> staying open.
    /// </summary>
    /// <param name="raw">The message, read to its end. Exceptions thrown by the stream itself are not caught.</param>
    public static MimeMessage Parse(Stream raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        using var buffer = new PooledBufferStream(raw.CanSeek ? (int)Math.Clamp(raw.Length - raw.Position, 0, 64 * 1024 * 1024) : 64 * 1024);
        buffer.ReadFrom(raw);
        return ParseCore(buffer.WrittenMemory, persistent: false, problems: null).Message;
    }

    /// <summary>Normalizes a message read from a stream (read to its end).</summary>
    /// <param name="raw">The message. Exceptions thrown by the stream itself are not caught.</param>
    public static NormalizedMessage Normalize(Stream raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        using var buffer = new PooledBufferStream(raw.CanSeek ? (int)Math.Clamp(raw.Length - raw.Position, 0, 64 * 1024 * 1024) : 64 * 1024);
        buffer.ReadFrom(raw);
        return Normalize(buffer.WrittenMemory);
    }

    /// <summary>Normalizes a message held in memory. The parts are read in place; nothing is copied.</summary>
    public static NormalizedMessage Normalize(ReadOnlyMemory<byte> raw)
    {
        var problems = new ProblemList();
        var (parsed, layout) = ParseCore(raw, persistent: true, problems);
        using var message = parsed;
        return NormalizeCore(message, layout, problems);
    }

    /// <summary>
    /// Normalizes a message that is already parsed. The message is not changed. Without the raw bytes, a missing
    /// closing boundary cannot be noticed and a multipart without boundary is recovered from its decoded preamble.
    /// </summary>
    public static NormalizedMessage Normalize(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return NormalizeCore(message, layout: null, new ProblemList());
    }

    /// <summary>Parses as <see cref="Normalize(ReadOnlyMemory{byte})"/> does, with the raw layout; the content stays in <paramref name="raw"/>.</summary>
    internal static (MimeMessage Message, RawLayout? Layout) ParseInPlace(ReadOnlyMemory<byte> raw, ProblemList problems) =>
        ParseCore(raw, persistent: true, problems);

    /// <summary>Normalizes what <see cref="ParseInPlace"/> gave, with the problems it recorded, as <see cref="Normalize(ReadOnlyMemory{byte})"/> would.</summary>
    internal static NormalizedMessage NormalizeParsed(MimeMessage message, RawLayout? layout, IReadOnlyList<string> parseProblems)
    {
        var problems = new ProblemList();
        foreach (var problem in parseProblems)
            problems.Add(problem);
        return NormalizeCore(message, layout, problems);
    }

    private static ParserOptions CreateOptions()
    {
        // Before MimeKit's first charset lookup (see CodePagesRegistration).
        Charsets.EnsureRegistered();
        var options = ParserOptions.Default.Clone();
        options.AddressParserComplianceMode = RfcComplianceMode.Looser;
        options.ParameterComplianceMode = RfcComplianceMode.Looser;
        options.Rfc2047ComplianceMode = RfcComplianceMode.Looser;
        options.AllowAddressesWithoutDomain = true;
        options.AllowUnquotedCommasInAddresses = true;
        options.RespectContentLength = false;
        return options;
    }

    // Parses with MimeKit; when no header can be read, tries again past blank lines before the first header, and
    // last reads the whole input as a text body. The layout describes the bytes that were finally parsed.
    private static (MimeMessage Message, RawLayout? Layout) ParseCore(ReadOnlyMemory<byte> raw, bool persistent, ProblemList? problems)
    {
        if (raw.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            problems?.Add("the message is empty");
            return (ParseBodyOnly(ReadOnlyMemory<byte>.Empty), null);
        }

        if (TryParse(raw, persistent) is { } parsed)
            return Repair(raw, parsed, persistent, problems);

        var skip = FirstHeaderLine(raw.Span);
        if (skip > 0 && TryParse(raw[skip..], persistent) is { } skipped)
        {
            problems?.Add($"{skip} bytes before the first header were skipped");
            return Repair(raw[skip..], skipped, persistent, problems);
        }

        problems?.Add("no header could be read; the whole message is read as text");
        try
        {
            return (ParseBodyOnly(raw), null);
        }
        catch (Exception ex)
        {
            problems?.Add($"the message could not be read as text either ({ex.GetType().Name})");
            return (ParseBodyOnly(ReadOnlyMemory<byte>.Empty), null);
        }
    }

    // A close delimiter followed by text on its line ("--b-- trailing words") is a close delimiter (RFC 2046 §5.1.1
    // matches on the start of the line), but MimeKit runs the last part to the end. The text is moved to a line of
    // its own in a copy of the same length, which is parsed instead; content is still sliced from the original.
    private static (MimeMessage Message, RawLayout? Layout) Repair(
        ReadOnlyMemory<byte> raw, (MimeMessage Message, RawLayout Layout) parsed, bool persistent, ProblemList? problems)
    {
        var repaired = (byte[]?)null;
        for (var round = 0; round < 4; round++)
        {
            var closes = parsed.Layout.UnrecognizedCloseDelimiters();
            closes.RemoveAll(c => repaired is not null && repaired[c.Offset] == (byte)'\n');
            if (closes.Count == 0)
                break;

            repaired ??= raw.ToArray();
            foreach (var (offset, boundary) in closes)
            {
                repaired[offset] = (byte)'\n';
                problems?.Add($"closing boundary {ProblemList.Quote(boundary)} is followed by text on its line; the text is read as the epilogue");
            }

            if (TryParse(repaired, persistent, raw) is not { } again)
                break;
            parsed.Message.Dispose();
            parsed = again;
        }

        return parsed;
    }

    private static (MimeMessage, RawLayout)? TryParse(ReadOnlyMemory<byte> raw, bool persistent, ReadOnlyMemory<byte>? original = null)
    {
        try
        {
            // A persistent parse leaves the content in the caller's buffer; the stream must stay open, so no using.
            var layout = new RawLayout(original ?? raw);
            var parser = new MimeParser(ParserOptions, AsStream(raw), MimeFormat.Entity, persistent);
            layout.Attach(parser);
            return (parser.ParseMessage(), layout);
        }
        catch (Exception)
        {
            // FormatException when no header can be read; anything else MimeKit throws is treated the same way.
            return null;
        }
    }

    // Where the first line that looks like a header field ("Name: value") starts, if only blank lines come before
    // it within the first 8 KB (exports that pad the start); else 0. Other text before it is kept: it may be all
    // there is.
    private static int FirstHeaderLine(ReadOnlySpan<byte> raw)
    {
        var offset = 0;
        while (offset < raw.Length && offset < 8192)
        {
            var line = raw[offset..];
            var newline = line.IndexOf((byte)'\n');
            if (newline >= 0)
                line = line[..newline];

            var name = line.IndexOfAnyExcept(HeaderNameBytes);
            if (name > 0 && line[name..].TrimStart(" \t"u8) is [(byte)':', ..])
                return offset;
            if (!line.Trim(" \t\r"u8).IsEmpty)
                return 0;
            if (newline < 0)
                return 0;
            offset += newline + 1;
        }

        return 0;
    }

    // A message with no headers whose body is the given bytes (MimeKit's default for a body is text/plain).
    private static MimeMessage ParseBodyOnly(ReadOnlyMemory<byte> body)
    {
        var bytes = new byte[body.Length + 2];
        bytes[0] = (byte)'\r';
        bytes[1] = (byte)'\n';
        body.Span.CopyTo(bytes.AsSpan(2));
        return new MimeParser(ParserOptions, new MemoryStream(bytes, writable: false), MimeFormat.Entity, persistent: false).ParseMessage();
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> raw) =>
        MemoryMarshal.TryGetArray(raw, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(raw.ToArray(), writable: false);

    private static NormalizedMessage NormalizeCore(MimeMessage message, RawLayout? layout, ProblemList problems)
    {
        using var session = new NormalizationSession(message, layout, problems);
        var result = new NormalizedMessage();
        var headers = message.Headers;

        // Each field on its own: one that cannot be read must not cost the others.
        Read(problems, "header lines", 0, () =>
        {
            HeaderReader.CheckFieldNames(headers, "message header", problems);
            return 0;
        });
        result = result with
        {
            MessageId = Read(problems, "Message-ID", null, () => HeaderReader.MessageId(headers, problems)),
            InReplyTo = Read(problems, "In-Reply-To", null, () => HeaderReader.InReplyTo(headers)),
            References = Read(problems, "References", [], () => HeaderReader.References(headers)),
            Subject = Read(problems, "Subject", null, () => HeaderReader.Subject(headers, session)),
            ThreadIndex = Read(problems, "Thread-Index", null, () => ThreadIndexHeader.ConversationId(headers["Thread-Index"])),
            ListId = Read(problems, "List-Id", null, () => ListIds.Parse(headers["List-Id"])),
            Automatic = Read(problems, "Auto-Submitted", null, () => AutomaticMail.FromHeaders(message)),
            Date = Read(problems, "Date", null, () => HeaderReader.Date(headers, problems)),
            From = Read(problems, "From", [], () => AddressReader.Addresses(headers, HeaderId.From, session)),
            Sender = Read(problems, "Sender", [], () => AddressReader.Addresses(headers, HeaderId.Sender, session)),
            ReplyTo = Read(problems, "Reply-To", [], () => AddressReader.Addresses(headers, HeaderId.ReplyTo, session)),
            To = Read(problems, "To", [], () => AddressReader.Addresses(headers, HeaderId.To, session)),
            Cc = Read(problems, "Cc", [], () => AddressReader.Addresses(headers, HeaderId.Cc, session)),
            Bcc = Read(problems, "Bcc", [], () => AddressReader.Addresses(headers, HeaderId.Bcc, session)),
        };

        try
        {
            var root = MimeNode.Build(message, session, intoMessages: false);
            var bodies = BodySelector.Select(root);
            var (text, html) = BodyReader.Read(bodies, session);

            var walker = new PartWalker(session, bodies, html);
            if (root is not null)
                walker.Walk(root);

            // An Outlook rich-text message carries its body inside winmail.dat: it is the body when there is no other.
            html ??= walker.TnefHtml;
            text ??= walker.TnefText;

            var snippet = !string.IsNullOrWhiteSpace(text) ? HtmlText.FromText(text)
                : html is not null ? HtmlText.FromHtml(html)
                : "";

            result = result with
            {
                TextBody = text,
                HtmlBody = html,
                Attachments = walker.Attachments,
                CalendarEvents = walker.CalendarEvents,
                Snippet = snippet,
            };
        }
        catch (Exception ex)
        {
            problems.Add($"the body could not be fully read ({ex.GetType().Name}: {ex.Message})");
        }

        return result with { Problems = problems.ToList() };
    }

    private static T Read<T>(ProblemList problems, string what, T fallback, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex)
        {
            problems.Add($"{what} could not be read ({ex.GetType().Name}: {ex.Message})");
            return fallback;
        }
    }
}
