using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.GmailApi;

internal sealed partial class GmailApiSession
{
    /// <summary>
    /// users.messages.get format=raw for several ids in one batch request (Google's multipart/mixed batch endpoint):
    /// one HTTP round trip, the quota units of each call. Calls that come back rate-limited or failed (429, 5xx) are sent
    /// again in the next batch, after the backoff; messages the server no longer has (404) are skipped.
    /// </summary>
    private async Task<List<GmailApiMessage>> BatchGetRawAsync(List<string> ids, CancellationToken cancellationToken)
    {
        const string What = "batch users.messages.get";
        var result = new List<GmailApiMessage>(ids.Count);
        var pending = ids;
        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            var boundary = "batch_" + Guid.NewGuid().ToString("N");
            var request = BatchBody(pending, boundary);
            var (status, body, contentType) = await SendRequestAsync(() =>
            {
                var content = new ByteArrayContent(request);
                content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/mixed; boundary={boundary}");
                return new HttpRequestMessage(HttpMethod.Post, Url("batch/gmail/v1")) { Content = content };
            }, GetUnits * pending.Count, What, cancellationToken);
            GmailApiErrors.ThrowUnlessOk(status, body, What);

            var parts = GmailBatchResponse.Parse(body, contentType);
            if (parts.Count != pending.Count)
                throw new ConnectorException(ConnectorErrorKind.Transient, $"Gmail API {What}: {parts.Count} answers to {pending.Count} calls.");
            var again = new List<string>();
            string? failure = null;
            for (var i = 0; i < parts.Count; i++)
            {
                var (partStatus, partBody) = parts[i];
                if (partStatus == HttpStatusCode.NotFound)
                    continue;
                if (GmailApiErrors.IsRetryable(partStatus, partBody))
                {
                    again.Add(pending[i]);
                    failure = $"{(int)partStatus} {GmailApiErrors.Describe(partBody)}";
                    continue;
                }
                GmailApiErrors.ThrowUnlessOk(partStatus, partBody, $"{What} {pending[i]}");
                if (ToMessage(Parse(partBody, GmailJson.Default.GmailMessageJson, What)) is { } message)
                    result.Add(message);
            }
            if (again.Count == 0)
                break;
            if (attempt >= options.MaxRetries)
                throw new ConnectorException(ConnectorErrorKind.Transient, $"Gmail API {What}: {again.Count} calls still failing after {attempt + 1} tries: {failure}");
            await WaitToRetryAsync(attempt, null, What, $"{again.Count} of {pending.Count} calls: {failure}", cancellationToken);
            pending = again;
        }
        return result;
    }

    private byte[] BatchBody(List<string> ids, string boundary)
    {
        var prefix = _base.AbsolutePath.TrimEnd('/');
        var text = new StringBuilder();
        for (var i = 0; i < ids.Count; i++)
        {
            text.Append("--").Append(boundary).Append("\r\n")
                .Append("Content-Type: application/http\r\n")
                .Append("Content-ID: <item").Append(i).Append(">\r\n\r\n")
                .Append("GET ").Append(prefix).Append('/').Append(RawPath(ids[i])).Append("\r\n\r\n");
        }
        text.Append("--").Append(boundary).Append("--\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
