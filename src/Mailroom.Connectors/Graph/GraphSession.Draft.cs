using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mailroom.Core.Connectors;
using Mailroom.Core.Sending;

namespace Mailroom.Connectors.Graph;

internal sealed partial class GraphSession
{
    /// <summary>Attachments from this size go through an upload session; smaller ones in one POST (Graph's 3 MB rule).</summary>
    private const int UploadSessionFrom = 3 * 1024 * 1024;

    /// <summary>Upload chunks: a multiple of 320 KiB, as Graph asks, under its 4 MB request limit.</summary>
    private const int ChunkBytes = 10 * 320 * 1024;

    /// <summary>
    /// A message over sendMail's 4 MB: a draft from the MIME without its largest attachments (POST messages, text/plain
    /// base64), those attachments added (an upload session each from 3 MB, chunked; a POST below), then POST
    /// messages/{id}/send. Exchange files the sent draft under Sent Items itself (its immutable id stays: the sync sees
    /// one message moved from Drafts, never two). A failure before the send deletes the draft, so that a retry by the
    /// outbox leaves no stray draft behind.
    /// </summary>
    private async Task<SmtpOutcome> SendThroughDraftAsync(ReadOnlyMemory<byte> mime, CancellationToken cancellationToken)
    {
        if (GraphLargeMessage.Split(mime, MaxRequestBytes - 64 * 1024) is not { } split)
            return new SmtpOutcome(SmtpOutcomeKind.Permanent, null,
                $"The message is {mime.Length} bytes and its text alone exceeds Graph's {MaxRequestBytes}-byte request limit.");

        var (status, body) = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Url("messages"))
        {
            Content = new StringContent(Convert.ToBase64String(split.Draft), Encoding.ASCII, "text/plain"),
        }, "POST messages (draft)", cancellationToken, idempotent: false);
        if (Refused(status, body, "POST messages (draft)") is { } refused)
            return refused;
        var draftId = Parse(body, GraphJson.Default.GraphIdJson, "POST messages").Id
            ?? throw new ConnectorException(ConnectorErrorKind.Transient, "Microsoft Graph POST messages: the draft has no id.");
        try
        {
            foreach (var attachment in split.Attachments)
            {
                if ((attachment.Content.Length >= UploadSessionFrom
                        ? await UploadAsync(draftId, attachment, cancellationToken)
                        : await AttachAsync(draftId, attachment, cancellationToken)) is { } failed)
                {
                    await DeleteDraftAsync(draftId);
                    return failed;
                }
            }
        }
        catch
        {
            await DeleteDraftAsync(draftId);
            throw;
        }

        const string What = "messages/send";
        (status, body) = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Url($"messages/{Uri.EscapeDataString(draftId)}/send")),
            What, cancellationToken, idempotent: false);
        if (Refused(status, body, What) is { } notSent)
        {
            await DeleteDraftAsync(draftId);
            return notSent;
        }
        return new SmtpOutcome(SmtpOutcomeKind.Accepted, (int)status, $"Microsoft Graph sent draft with {split.Attachments.Count} attachment(s) added");
    }

    private async Task<SmtpOutcome?> AttachAsync(string draftId, GraphLargeMessage.Attachment attachment, CancellationToken cancellationToken)
    {
        const string What = "POST attachments";
        var json = JsonSerializer.SerializeToUtf8Bytes(new GraphFileAttachmentJson("#microsoft.graph.fileAttachment", attachment.Name,
            attachment.ContentType, attachment.IsInline, attachment.ContentId, attachment.Content), GraphJson.Default.GraphFileAttachmentJson);
        var (status, body) = await SendAsync(() => JsonRequest(HttpMethod.Post, Url($"messages/{Uri.EscapeDataString(draftId)}/attachments"), json),
            What, cancellationToken, idempotent: false);
        return Refused(status, body, What);
    }

    private async Task<SmtpOutcome?> UploadAsync(string draftId, GraphLargeMessage.Attachment attachment, CancellationToken cancellationToken)
    {
        const string What = "attachments/createUploadSession";
        var json = JsonSerializer.SerializeToUtf8Bytes(new GraphUploadSessionRequestJson(new GraphAttachmentItemJson("file", attachment.Name,
            attachment.Content.Length, attachment.ContentType, attachment.IsInline, attachment.ContentId)), GraphJson.Default.GraphUploadSessionRequestJson);
        var (status, body) = await SendAsync(() => JsonRequest(HttpMethod.Post,
            Url($"messages/{Uri.EscapeDataString(draftId)}/attachments/createUploadSession"), json), What, cancellationToken);
        if (Refused(status, body, What) is { } refused)
            return refused;
        var upload = UploadUrl(Parse(body, GraphJson.Default.GraphUploadSessionJson, What).UploadUrl);
        var content = attachment.Content;
        for (var offset = 0; offset < content.Length; offset += ChunkBytes)
        {
            var length = Math.Min(ChunkBytes, content.Length - offset);
            var from = offset;
            // The upload URL is pre-authenticated: no token goes with it (Graph refuses one).
            var (chunkStatus, chunkBody, _) = await SendRequestAsync(() =>
            {
                var chunk = new ByteArrayContent(content, from, length);
                chunk.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                chunk.Headers.ContentRange = new ContentRangeHeaderValue(from, from + length - 1, content.Length);
                return new HttpRequestMessage(HttpMethod.Put, upload) { Content = chunk };
            }, 1, "upload session PUT", cancellationToken, authorize: false);
            if (Refused(chunkStatus, chunkBody, "upload session PUT") is { } failed)
                return failed;
        }
        return null;
    }

    /// <summary>Null for success; otherwise the outcome (a missing permission is a misconfiguration, thrown).</summary>
    private static SmtpOutcome? Refused(HttpStatusCode status, byte[] body, string what)
    {
        var code = (int)status;
        if (code is >= 200 and < 300)
            return null;
        var reply = $"Microsoft Graph {what}: {code} {GraphErrors.Describe(body)}";
        if (status == HttpStatusCode.Forbidden)
            throw new ConnectorException(ConnectorErrorKind.Misconfigured, reply);
        return new SmtpOutcome(code >= 500 || code == 429 ? SmtpOutcomeKind.Temporary : SmtpOutcomeKind.Permanent, code, reply);
    }

    private async Task DeleteDraftAsync(string draftId)
    {
        using var deadline = new CancellationTokenSource(options.RequestTimeout);
        try
        {
            await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, Url($"messages/{Uri.EscapeDataString(draftId)}")), "DELETE messages (draft)", deadline.Token);
        }
        catch (Exception ex) when (ex is ConnectorException or OperationCanceledException)
        {
            // A stray draft is no loss: the outbox's outcome stands.
        }
    }

    /// <summary>An upload URL is Graph's to choose (outlook.office.com): https only, or the test's own host.</summary>
    private Uri UploadUrl(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || !(uri.Scheme == "https" || string.Equals(uri.GetLeftPart(UriPartial.Authority), new Uri(_base).GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)))
            throw new ConnectorException(ConnectorErrorKind.CommandFailed, "Microsoft Graph createUploadSession: no usable uploadUrl.");
        return uri;
    }
}
