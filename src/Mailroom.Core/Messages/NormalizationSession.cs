using System.Text;
using MimeKit;

namespace Mailroom.Core.Messages;

/// <summary>
/// The state of normalizing one message: its problems, the charset to fall back to, the raw layout when the bytes
/// are at hand, and the multiparts rebuilt from broken ones (the caller's <see cref="MimeMessage"/> is never changed).
/// </summary>
internal sealed class NormalizationSession : IDisposable
{
    private readonly List<MimeEntity> recovered = [];
    private readonly List<RawLayout> recoveredLayouts = [];
    private Encoding? fallback;
    private ParserOptions? fallbackOptions;

    public NormalizationSession(MimeMessage message, RawLayout? layout, ProblemList problems)
    {
        Message = message;
        Layout = layout;
        Problems = problems;
        Fallback = () => FallbackEncoding;
    }

    public MimeMessage Message { get; }

    public RawLayout? Layout { get; }

    public ProblemList Problems { get; }

    /// <summary>
    /// The charset for 8-bit text that is not UTF-8 and declares nothing usable: the first real charset another text
    /// part of the message declares (a KOI8-R body usually means KOI8-R raw headers), else Windows-1252.
    /// </summary>
    public Encoding FallbackEncoding => fallback ??= ChooseFallback();

    /// <summary><see cref="FallbackEncoding"/> as a delegate, so that it is only worked out when needed.</summary>
    public Func<Encoding> Fallback { get; }

    /// <summary>Parser options that read 8-bit header text in <see cref="FallbackEncoding"/>.</summary>
    public ParserOptions FallbackOptions
    {
        get
        {
            if (fallbackOptions is null)
            {
                fallbackOptions = MessageNormalizer.Options.Clone();
                fallbackOptions.CharsetEncoding = FallbackEncoding;
            }

            return fallbackOptions;
        }
    }

    /// <summary>Records problems in a multipart that MimeKit read without complaint.</summary>
    public void CheckMultipart(Multipart multipart, string where)
    {
        if (multipart.Count > 0 && Layout?.HasCloseDelimiter(multipart) == false)
            Problems.Add($"{where} ({multipart.ContentType.MimeType.ToLowerInvariant()}): closing boundary missing; the last part runs to the end");
    }

    /// <summary>
    /// What to read instead of a multipart in which no part was found: its parts split on a boundary guessed from
    /// the content (when the parameter is missing or wrong), else its content as plain text, so nothing is lost.
    /// </summary>
    public MimeEntity Recover(Multipart multipart, string where)
    {
        var type = multipart.ContentType.MimeType.ToLowerInvariant();
        var boundary = multipart.Boundary;
        Problems.Add(string.IsNullOrEmpty(boundary)
            ? $"{where} ({type}): no boundary parameter"
            : $"{where} ({type}): boundary {ProblemList.Quote(boundary)} never appears; no parts found");

        var body = Layout?.Body(multipart) ?? Encoding.UTF8.GetBytes(multipart.Preamble ?? "");
        if (GuessBoundary(body.Span) is { } guess && guess != boundary)
        {
            var header = Encoding.ASCII.GetBytes($"Content-Type: {type}; boundary=\"{guess}\"\r\n\r\n");
            var bytes = new byte[header.Length + body.Length];
            header.CopyTo(bytes, 0);
            body.Span.CopyTo(bytes.AsSpan(header.Length));
            try
            {
                var parser = new MimeParser(MessageNormalizer.Options, new MemoryStream(bytes), MimeFormat.Entity, persistent: false);
                var layout = new RawLayout(bytes);
                layout.Attach(parser);
                if (parser.ParseEntity() is Multipart { Count: > 0 } rebuilt)
                {
                    recoveredLayouts.Add(layout);
                    Problems.Add($"{where} ({type}): parts read with the boundary {ProblemList.Quote(guess)} found in the content");
                    recovered.Add(rebuilt);
                    return rebuilt;
                }
            }
            catch (FormatException)
            {
                // Fall through to the plain-text reading below.
            }
        }

        if (body.Span.Trim(" \r\n\t"u8).IsEmpty)
            return multipart;

        var text = new TextPart("plain") { Content = new MimeContent(new MemoryStream(body.ToArray(), writable: false)) };
        recovered.Add(text);
        return text;
    }

    /// <summary>An entity's content as the raw bytes hold it (an attached message byte for byte), or null when unknown.</summary>
    public ReadOnlyMemory<byte>? RawContent(MimeEntity entity)
    {
        if (Layout?.Content(entity) is { } content)
            return content;
        foreach (var layout in recoveredLayouts)
        {
            if (layout.Content(entity) is { } recoveredContent)
                return recoveredContent;
        }

        return null;
    }

    public void Dispose()
    {
        foreach (var entity in recovered)
            entity.Dispose();
        recovered.Clear();
    }

    // The first line that looks like a delimiter ("--something"), without a closing "--".
    private static string? GuessBoundary(ReadOnlySpan<byte> body)
    {
        while (!body.IsEmpty)
        {
            var newline = body.IndexOf((byte)'\n');
            var line = (newline < 0 ? body : body[..newline]).TrimEnd("\r \t"u8);
            if (line.Length > 2 && line.Length <= 72 && line.StartsWith("--"u8))
            {
                var candidate = line[2..];
                if (candidate.EndsWith("--"u8) && candidate.Length > 2)
                    candidate = candidate[..^2];
                if (System.Text.Ascii.IsValid(candidate) && candidate.IndexOfAny("\"\\"u8) < 0)
                    return Encoding.ASCII.GetString(candidate);
            }

            if (newline < 0)
                break;
            body = body[(newline + 1)..];
        }

        return null;
    }

    private Encoding ChooseFallback()
    {
        try
        {
            foreach (var part in Message.BodyParts)
            {
                if (part is TextPart text && Charsets.Resolve(text.ContentType.Charset) is { } declared
                    && declared.CodePage is not (65001 or 20127 or 1200 or 1201 or 12000 or 12001 or 65000))
                {
                    return declared.CodePage == 28591 ? Charsets.Windows1252 : declared;
                }
            }
        }
        catch (Exception)
        {
            // A part that cannot even be enumerated offers no hint; the default below is the sensible guess.
        }

        return Charsets.Windows1252;
    }
}
