using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mailroom.Core.Sending;

namespace Mailroom.Connectors.GmailApi;

internal sealed partial class GmailApiSession
{
    private const int SendUnits = 100;

    /// <summary>The largest message Gmail sends (35 MB through the upload endpoint).</summary>
    public const int MaxSendBytes = 35 * 1024 * 1024;

    /// <summary>
    /// users.messages.send: JSON <c>raw</c> up to <see cref="GmailOptions.SimpleSendLimit"/>, the media upload endpoint
    /// (multipart: the metadata, then the message as <c>message/rfc822</c>) above. Google's answer is the outcome:
    /// 2xx accepted, a rate limit or a server error temporary, any other refusal permanent.
    /// </summary>
    public async Task<SmtpOutcome> SendAsync(byte[] raw, string? threadId, CancellationToken cancellationToken)
    {
        if (raw.Length > MaxSendBytes)
            return new SmtpOutcome(SmtpOutcomeKind.Permanent, null, $"The message is {raw.Length} bytes; Gmail sends at most {MaxSendBytes}.");
        const string What = "users.messages.send";
        var upload = raw.Length > options.SimpleSendLimit;
        var (status, body, _) = await SendRequestAsync(upload ? () => UploadRequest(raw, threadId) : () => JsonRequest(raw, threadId),
            SendUnits, What, cancellationToken, idempotent: false);
        var code = (int)status;
        if (code is >= 200 and < 300)
        {
            var sent = Parse(body, GmailJson.Default.GmailMessageJson, What);
            return new SmtpOutcome(SmtpOutcomeKind.Accepted, code, $"Gmail message {sent.Id} in thread {sent.ThreadId}");
        }
        var reply = $"Gmail API {What}: {code} {GmailApiErrors.Describe(body)}";
        var temporary = code >= 500 || GmailApiErrors.IsRateLimit(status, body);
        return new SmtpOutcome(temporary ? SmtpOutcomeKind.Temporary : SmtpOutcomeKind.Permanent, code, reply);
    }

    private HttpRequestMessage JsonRequest(byte[] raw, string? threadId)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new GmailSendJson(Base64Url.Encode(raw), threadId), GmailJson.Default.GmailSendJson);
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
        return new HttpRequestMessage(HttpMethod.Post, Url("gmail/v1/users/me/messages/send")) { Content = content };
    }

    private HttpRequestMessage UploadRequest(byte[] raw, string? threadId)
    {
        // Multipart upload (RFC 2387 multipart/related): the Message resource without raw, then the media.
        var content = new MultipartContent("related", "upload_" + Guid.NewGuid().ToString("N"));
        var metadata = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new GmailSendJson(null, threadId), GmailJson.Default.GmailSendJson));
        metadata.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
        var media = new ByteArrayContent(raw);
        media.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        content.Add(metadata);
        content.Add(media);
        return new HttpRequestMessage(HttpMethod.Post, Url("upload/gmail/v1/users/me/messages/send?uploadType=multipart")) { Content = content };
    }
}
