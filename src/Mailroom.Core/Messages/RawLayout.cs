using System.Text;
using MimeKit;

namespace Mailroom.Core.Messages;

/// <summary>
/// Where each entity sat in the raw bytes, recorded from the parser's events. MimeKit recovers silently from a
/// missing close delimiter or a missing boundary, and re-serializes what it parsed; with the offsets the normalizer
/// can tell, recover the content of a boundary-less multipart byte for byte, and give an attached message exactly as
/// the sender attached it. The bytes parsed may be a repaired copy of <paramref name="raw"/> with the same length;
/// content is always sliced from <paramref name="raw"/> itself.
/// </summary>
internal sealed class RawLayout(ReadOnlyMemory<byte> raw)
{
    private readonly Dictionary<MimeEntity, (long HeadersEnd, long End)> entities = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<MimeEntity, long> lastChildEnd = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<MimeEntity, MimeEntity> parents = new(ReferenceEqualityComparer.Instance);

    /// <summary>Starts recording a parser's entities; call before parsing.</summary>
    public void Attach(MimeParser parser) => parser.MimeEntityEnd += OnEntityEnd;

    /// <summary>True when the multipart's close delimiter (<c>--boundary--</c>) follows its last part; null when unknown.</summary>
    public bool? HasCloseDelimiter(Multipart multipart)
    {
        if (!entities.TryGetValue(multipart, out var span) || multipart.Boundary is not { Length: > 0 } boundary)
            return null;

        var from = lastChildEnd.TryGetValue(multipart, out var end) ? end : span.HeadersEnd;
        var tail = Slice(from, span.End);
        if (tail is null)
            return null;

        var delimiter = Encoding.Latin1.GetBytes("--" + boundary + "--");
        return tail.Value.Span.IndexOf(delimiter) >= 0;
    }

    /// <summary>The raw body of a multipart (everything after its headers), or null when unknown.</summary>
    public ReadOnlyMemory<byte>? Body(Multipart multipart) => Content(multipart);

    /// <summary>An entity's content as it stands in the raw message (after its headers, in its transfer encoding), or null when unknown.</summary>
    public ReadOnlyMemory<byte>? Content(MimeEntity entity)
    {
        if (!entities.TryGetValue(entity, out var span) || Slice(span.HeadersEnd, span.End) is not { } content)
            return null;

        // A part never holds its multipart's delimiter (RFC 2046 §5.1.1); MimeKit can run a message/rfc822 part that
        // is not a message over the close delimiter at the very end of the input.
        if (parents.TryGetValue(entity, out var parent) && parent is Multipart { Boundary: { Length: > 0 } boundary })
        {
            var delimiter = Encoding.Latin1.GetBytes("\n--" + boundary);
            var at = content.Span.IndexOf(delimiter);
            if (at >= 0)
                content = content[..(at > 0 && content.Span[at - 1] == (byte)'\r' ? at - 1 : at)];
        }

        return content;
    }

    /// <summary>
    /// Offsets of close delimiters that MimeKit did not recognize because text follows them on their line
    /// (<c>--boundary-- trailing words</c>). RFC 2046 §5.1.1 matches a delimiter on the start of the line, so each
    /// is a close delimiter; the offset is of the first character after it.
    /// </summary>
    public List<(long Offset, string Boundary)> UnrecognizedCloseDelimiters()
    {
        var found = new List<(long, string)>();
        List<byte[]>? boundaries = null; // only needed for a delimiter with text after it, which is rare
        foreach (var (entity, span) in entities)
        {
            if (entity is not Multipart { Boundary: { Length: > 0 } boundary } || Slice(span.HeadersEnd, span.End) is not { } body)
                continue;

            // Only occurrences of the close delimiter are looked at (a vectorized search), not every line.
            var close = Encoding.Latin1.GetBytes("--" + boundary + "--");
            var text = body.Span;
            var offset = 0;
            while (offset < text.Length && text[offset..].IndexOf(close) is var at and >= 0)
            {
                var start = offset + at;
                var end = start + close.Length;
                var rest = text[end..];
                var newline = rest.IndexOf((byte)'\n');
                var line = newline < 0 ? rest : rest[..newline];
                // A longer boundary of another multipart may start with this close delimiter ("--b--x"): its line is its own.
                var lineFromStart = text[start..(newline < 0 ? text.Length : end + newline)];
                if ((start == 0 || text[start - 1] == (byte)'\n') && !line.Trim(" \t\r"u8).IsEmpty
                    && !StartsWithLonger(lineFromStart, boundaries ??= Delimiters(), close.Length - 2))
                    found.Add((span.HeadersEnd + end, boundary));
                offset = end;
            }
        }

        return found;
    }

    private List<byte[]> Delimiters() =>
        entities.Keys.OfType<Multipart>().Select(m => m.Boundary).Where(b => b is { Length: > 0 })
            .Select(b => Encoding.Latin1.GetBytes("--" + b)).ToList();

    private static bool StartsWithLonger(ReadOnlySpan<byte> line, List<byte[]> delimiters, int length)
    {
        foreach (var delimiter in delimiters)
        {
            if (delimiter.Length > length && line.StartsWith(delimiter))
                return true;
        }

        return false;
    }

    private ReadOnlyMemory<byte>? Slice(long from, long to)
    {
        if (from < 0 || to < from || to > raw.Length)
            return null;
        return raw[(int)from..(int)to];
    }

    private void OnEntityEnd(object? sender, MimeEntityEndEventArgs e)
    {
        if (e.Parent is { } parent)
        {
            lastChildEnd[parent] = e.EndOffset;
            parents[e.Entity] = parent;
        }

        entities[e.Entity] = (e.HeadersEndOffset, e.EndOffset);
    }
}
