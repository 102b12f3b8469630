using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Mailroom.TestSupport.Graph;

/// <summary>
/// Drafts of the fake Graph, for messages over sendMail's 4 MB: POST messages (MIME, base64, text/plain) makes a draft
/// in Drafts; POST messages/{id}/attachments adds a fileAttachment; attachments/createUploadSession gives an
/// uploadUrl (outside /v1.0, pre-authenticated: a request with a token is refused) taking PUT chunks in order
/// (Content-Range, at most 4 MB, a multiple of 320 KiB but the last), the attachment added with the last; POST
/// messages/{id}/send moves the draft to Sent Items (its id stays) and records it; DELETE removes it. Every request body
/// and answer is held to the CSDL; no request may exceed 4 MB.
/// </summary>
public sealed class FakeGraphDrafts(FakeGraphMailbox mailbox, Func<Uri> baseUrl)
{
    private const int MaxRequest = 4 * 1024 * 1024;
    private readonly ConcurrentDictionary<string, Upload> _uploads = new(StringComparer.Ordinal);
    private int _chunks, _largestRequest;

    /// <summary>Upload-session chunks received.</summary>
    public int Chunks => Volatile.Read(ref _chunks);

    /// <summary>The largest request body seen by the draft route.</summary>
    public int LargestRequest => Volatile.Read(ref _largestRequest);

    /// <summary>Drafts sent: the draft's MIME and its attachments, in order.</summary>
    public List<FakeGraphMessage> SentDrafts { get; } = [];

    internal async Task<(int Status, JsonObject Body)?> HandleAsync(HttpContext context, string[] rest)
    {
        var method = context.Request.Method;
        switch (rest)
        {
            case ["messages"] when HttpMethods.IsPost(method):
                var text = Encoding.ASCII.GetString(await ReadAsync(context));
                if (!(context.Request.ContentType ?? "").StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
                    return (415, FakeGraphApi.Error("UnsupportedMediaType", "MIME content must be text/plain, base64."));
                byte[] mime;
                try
                {
                    mime = Convert.FromBase64String(text);
                }
                catch (FormatException)
                {
                    return (400, FakeGraphApi.Error("ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content."));
                }
                var created = mailbox.Add("drafts", mime, "draft-" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow, isRead: true);
                return (201, FakeGraphApi.MessageJson(mailbox.Message(created)!));
            case ["messages", var id, "attachments"] when HttpMethods.IsPost(method):
                if (Draft(id) is not { } draft)
                    return NotFound();
                var json = JsonNode.Parse(await ReadAsync(context)) as JsonObject ?? [];
                if (json["@odata.type"]?.GetValue<string>() != "#microsoft.graph.fileAttachment")
                    return (400, FakeGraphApi.Error("InvalidRequest", "Only #microsoft.graph.fileAttachment is served by this fake."));
                FakeGraphApi.Checked("fileAttachment", json);
                lock (draft.Attachments)
                    draft.Attachments.Add((json["name"]!.GetValue<string>(), json["contentType"]!.GetValue<string>(), Convert.FromBase64String(json["contentBytes"]!.GetValue<string>())));
                return (201, json);
            case ["messages", var id, "attachments", "createUploadSession"] when HttpMethods.IsPost(method):
                if (Draft(id) is null)
                    return NotFound();
                var request = JsonNode.Parse(await ReadAsync(context)) as JsonObject ?? [];
                if (request["AttachmentItem"] is not JsonObject item || item["size"] is null || item["name"] is null)
                    return (400, FakeGraphApi.Error("InvalidRequest", "AttachmentItem with name and size is required."));
                FakeGraphApi.Checked("attachmentItem", item);
                var session = Guid.NewGuid().ToString("N");
                _uploads[session] = new Upload(id, item["name"]!.GetValue<string>(), item["contentType"]?.GetValue<string>() ?? "application/octet-stream",
                    new byte[item["size"]!.GetValue<long>()]);
                return (201, FakeGraphApi.Checked("uploadSession", new JsonObject
                {
                    ["uploadUrl"] = new Uri(baseUrl(), "/upload/" + session).ToString(),
                    ["expirationDateTime"] = DateTimeOffset.UtcNow.AddMinutes(15).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    ["nextExpectedRanges"] = new JsonArray("0-"),
                }));
            case ["messages", var id, "send"] when HttpMethods.IsPost(method):
                if (Draft(id) is not { } sent)
                    return NotFound();
                mailbox.Move(id, "sentitems");
                lock (SentDrafts)
                    SentDrafts.Add(sent);
                return (202, []);
            case ["messages", var id] when HttpMethods.IsDelete(method):
                if (Draft(id) is null)
                    return NotFound();
                mailbox.Delete(id);
                return (204, []);
            default:
                return null;
        }
    }

    /// <summary>PUT of one chunk to an upload URL (no token: the URL is the credential).</summary>
    internal async Task<(int Status, JsonObject Body)> PutChunkAsync(HttpContext context, string session)
    {
        if (context.Request.Headers.Authorization.Count > 0)
            return (401, FakeGraphApi.Error("InvalidAuthenticationToken", "An upload URL takes no Authorization header."));
        if (!_uploads.TryGetValue(session, out var upload))
            return NotFound();
        var range = context.Request.Headers.ContentRange.ToString();
        var body = await ReadAsync(context);
        var parts = range.StartsWith("bytes ", StringComparison.Ordinal) ? range[6..].Split('-', '/') : [];
        if (parts.Length != 3 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var from) || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var to)
            || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var total) || total != upload.Content.Length || from != upload.Next
            || to - from + 1 != body.Length || (to + 1 < total && body.Length % (320 * 1024) != 0))
            return (416, FakeGraphApi.Error("InvalidRange", $"Expected bytes {upload.Next}- of {upload.Content.Length} in multiples of 320 KiB, got '{range}' with {body.Length} bytes."));
        body.CopyTo(upload.Content, from);
        upload.Next = to + 1;
        Interlocked.Increment(ref _chunks);
        if (upload.Next < total)
            return (200, FakeGraphApi.Checked("uploadSession", new JsonObject { ["nextExpectedRanges"] = new JsonArray($"{upload.Next}-") }));
        _uploads.TryRemove(session, out _);
        if (Draft(upload.DraftId) is { } draft)
        {
            lock (draft.Attachments)
                draft.Attachments.Add((upload.Name, upload.ContentType, upload.Content));
        }
        context.Response.Headers.Location = new Uri(baseUrl(), $"/v1.0/me/messages/{upload.DraftId}/attachments/{session}").ToString();
        return (201, []);
    }

    private FakeGraphMessage? Draft(string id) =>
        mailbox.Message(id) is { } m && m.FolderId == mailbox.Folder("drafts").Id ? m : null;

    private async Task<byte[]> ReadAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var size = (int)buffer.Length;
        int seen;
        while (size > (seen = Volatile.Read(ref _largestRequest)) && Interlocked.CompareExchange(ref _largestRequest, size, seen) != seen)
        {
        }
        if (size > MaxRequest)
            throw new InvalidOperationException($"A request of {size} bytes: Graph refuses more than {MaxRequest}.");
        return buffer.ToArray();
    }

    private static (int, JsonObject) NotFound() => (404, FakeGraphApi.Error("ErrorItemNotFound", "The specified object was not found in the store."));

    private sealed class Upload(string draftId, string name, string contentType, byte[] content)
    {
        public string DraftId { get; } = draftId;
        public string Name { get; } = name;
        public string ContentType { get; } = contentType;
        public byte[] Content { get; } = content;
        public long Next { get; set; }
    }
}
