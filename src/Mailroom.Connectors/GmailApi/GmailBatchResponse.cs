using System.Net;
using System.Text;
using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.GmailApi;

/// <summary>
/// Reads the answer of Google's batch endpoint: multipart/mixed, one <c>application/http</c> part per call, in the
/// order of the calls, each an HTTP response (status line, headers, blank line, JSON body).
/// </summary>
internal static class GmailBatchResponse
{
    public static List<(HttpStatusCode Status, byte[] Body)> Parse(byte[] body, string? contentType)
    {
        var boundary = Boundary(contentType)
            ?? throw new ConnectorException(ConnectorErrorKind.Transient, $"Gmail API batch: the answer is not multipart ({contentType}).");
        // The parts are HTTP text and JSON (ASCII; raw MIME is base64url inside the JSON).
        var text = Encoding.UTF8.GetString(body);
        var delimiter = "--" + boundary;
        var result = new List<(HttpStatusCode, byte[])>();
        var at = text.IndexOf(delimiter, StringComparison.Ordinal);
        while (at >= 0)
        {
            var start = at + delimiter.Length;
            if (text.AsSpan(start).StartsWith("--"))
                break;
            var next = text.IndexOf("\r\n" + delimiter, start, StringComparison.Ordinal);
            if (next < 0)
                throw new ConnectorException(ConnectorErrorKind.Transient, "Gmail API batch: the answer ends inside a part.");
            result.Add(Part(text[start..next]));
            at = next + 2;
        }
        return result;
    }

    private static (HttpStatusCode, byte[]) Part(string part)
    {
        // Part headers, blank line, then the embedded response: status line, headers, blank line, body.
        var inner = part.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var response = inner < 0 ? "" : part[(inner + 4)..];
        var lineEnd = response.IndexOf("\r\n", StringComparison.Ordinal);
        var statusLine = lineEnd < 0 ? response : response[..lineEnd];
        var fields = statusLine.Split(' ', 3);
        if (fields.Length < 2 || !fields[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(fields[1], out var code))
            throw new ConnectorException(ConnectorErrorKind.Transient, $"Gmail API batch: a part has no HTTP status line ({statusLine}).");
        var bodyStart = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var partBody = bodyStart < 0 ? "" : response[(bodyStart + 4)..];
        return ((HttpStatusCode)code, Encoding.UTF8.GetBytes(partBody));
    }

    private static string? Boundary(string? contentType)
    {
        if (contentType is null || !System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !string.Equals(media.MediaType, "multipart/mixed", StringComparison.OrdinalIgnoreCase))
            return null;
        return media.Parameters.FirstOrDefault(p => string.Equals(p.Name, "boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"');
    }
}
