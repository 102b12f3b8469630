using System.Net;
using System.Text;
using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.GmailApi;

/// <summary>
/// Reads the answer of Google's batch endpoint: multipart/mixed, one <c>application/http</c> part per call, in the
/// order of the calls, each an HTTP response (status line, headers, blank line, JSON body). Works on the bytes: each
/// part's body is a slice of the answer, handed to the JSON reader without a copy.
/// </summary>
internal static class GmailBatchResponse
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private static readonly byte[] BlankLine = "\r\n\r\n"u8.ToArray();

    public static List<(HttpStatusCode Status, ReadOnlyMemory<byte> Body)> Parse(byte[] body, string? contentType)
    {
        var boundary = Boundary(contentType)
            ?? throw new ConnectorException(ConnectorErrorKind.Transient, $"Gmail API batch: the answer is not multipart ({contentType}).");
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var next = Encoding.ASCII.GetBytes("\r\n--" + boundary);
        var result = new List<(HttpStatusCode, ReadOnlyMemory<byte>)>();
        var memory = body.AsMemory();
        var at = memory.Span.IndexOf(delimiter);
        while (at >= 0)
        {
            var start = at + delimiter.Length;
            if (memory.Span[start..].StartsWith("--"u8))
                break;
            var length = memory.Span[start..].IndexOf(next);
            if (length < 0)
                throw new ConnectorException(ConnectorErrorKind.Transient, "Gmail API batch: the answer ends inside a part.");
            result.Add(Part(memory.Slice(start, length)));
            at = start + length + 2;
        }
        return result;
    }

    private static (HttpStatusCode, ReadOnlyMemory<byte>) Part(ReadOnlyMemory<byte> part)
    {
        // Part headers, blank line, then the embedded response: status line, headers, blank line, body.
        var inner = part.Span.IndexOf(BlankLine);
        var response = inner < 0 ? ReadOnlyMemory<byte>.Empty : part[(inner + 4)..];
        var lineEnd = response.Span.IndexOf(Crlf);
        var statusLine = Encoding.ASCII.GetString(lineEnd < 0 ? response.Span : response.Span[..lineEnd]);
        var fields = statusLine.Split(' ', 3);
        if (fields.Length < 2 || !fields[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(fields[1], out var code))
            throw new ConnectorException(ConnectorErrorKind.Transient, $"Gmail API batch: a part has no HTTP status line ({statusLine}).");
        var bodyStart = response.Span.IndexOf(BlankLine);
        return ((HttpStatusCode)code, bodyStart < 0 ? ReadOnlyMemory<byte>.Empty : response[(bodyStart + 4)..]);
    }

    private static string? Boundary(string? contentType)
    {
        if (contentType is null || !System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !string.Equals(media.MediaType, "multipart/mixed", StringComparison.OrdinalIgnoreCase))
            return null;
        return media.Parameters.FirstOrDefault(p => string.Equals(p.Name, "boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"');
    }
}
