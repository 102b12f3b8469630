using System.Text;
using MimeKit;

namespace Mailroom.Core.Messages;

/// <summary>
/// Where each multipart sat in the raw bytes, recorded from the parser's events. MimeKit recovers silently from a
/// missing close delimiter or a missing boundary; with the offsets the normalizer can tell, and recover the content
/// of a boundary-less multipart byte for byte.
/// </summary>
internal sealed class RawLayout(ReadOnlyMemory<byte> raw)
{
    private readonly Dictionary<MimeEntity, (long HeadersEnd, long End)> multiparts = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<MimeEntity, long> lastChildEnd = new(ReferenceEqualityComparer.Instance);

    /// <summary>Starts recording a parser's entities; call before parsing.</summary>
    public void Attach(MimeParser parser) => parser.MimeEntityEnd += OnEntityEnd;

    /// <summary>True when the multipart's close delimiter (<c>--boundary--</c>) follows its last part; null when unknown.</summary>
    public bool? HasCloseDelimiter(Multipart multipart)
    {
        if (!multiparts.TryGetValue(multipart, out var span) || multipart.Boundary is not { Length: > 0 } boundary)
            return null;

        var from = lastChildEnd.TryGetValue(multipart, out var end) ? end : span.HeadersEnd;
        var tail = Slice(from, span.End);
        if (tail is null)
            return null;

        var delimiter = Encoding.Latin1.GetBytes("--" + boundary + "--");
        return tail.Value.Span.IndexOf(delimiter) >= 0;
    }

    /// <summary>The raw body of a multipart (everything after its headers), or null when unknown.</summary>
    public ReadOnlyMemory<byte>? Body(Multipart multipart) =>
        multiparts.TryGetValue(multipart, out var span) ? Slice(span.HeadersEnd, span.End) : null;

    private ReadOnlyMemory<byte>? Slice(long from, long to)
    {
        if (from < 0 || to < from || to > raw.Length)
            return null;
        return raw[(int)from..(int)to];
    }

    private void OnEntityEnd(object? sender, MimeEntityEndEventArgs e)
    {
        if (e.Parent is { } parent)
            lastChildEnd[parent] = e.EndOffset;
        if (e.Entity is Multipart)
            multiparts[e.Entity] = (e.HeadersEndOffset, e.EndOffset);
    }
}
