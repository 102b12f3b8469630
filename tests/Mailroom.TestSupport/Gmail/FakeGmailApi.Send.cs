using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Mailroom.TestSupport.Gmail;

/// <summary>users.messages.send (JSON and upload) and users.watch with its Pub/Sub.</summary>
public sealed partial class FakeGmailApi
{
    /// <summary>The fake Pub/Sub (on the same address), once <see cref="EnablePush"/> was called.</summary>
    public FakePubSub? PubSub { get; private set; }

    /// <summary>users.watch calls received.</summary>
    public int WatchCalls => Volatile.Read(ref _watchCalls);

    private int _watchCalls, _stopCalls;

    /// <summary>users.stop calls received (each ends the watch: nothing more is published).</summary>
    public int StopCalls => Volatile.Read(ref _stopCalls);
    private string? _watchedTopic;

    /// <summary>Serves Pub/Sub (pull, acknowledge, the service account token) beside the API; Gmail publishes there once watched.</summary>
    public FakePubSub EnablePush(string topic, string subscription, System.Security.Cryptography.RSA serviceAccountKey)
    {
        PubSub = new FakePubSub(topic, subscription, serviceAccountKey, Address);
        Mailbox.Changed = historyId =>
        {
            if (Volatile.Read(ref _watchedTopic) == topic)
                PubSub.Publish(Mailbox.EmailAddress, historyId);
        };
        return PubSub;
    }

    private async Task<(int, string)> WatchAsync(HttpContext context, CancellationToken ct)
    {
        using var reader = new StreamReader(context.Request.Body);
        var json = await reader.ReadToEndAsync(ct);
        GmailSchemas.Require("WatchRequest", json);
        var topic = JsonNode.Parse(json)?["topicName"]?.GetValue<string>();
        if (topic is null || PubSub is null || topic != PubSub.Topic)
            return (400, Error(400, "Invalid topicName does not match projects/PROJECT/topics/*", "invalidArgument", "INVALID_ARGUMENT"));
        Interlocked.Increment(ref _watchCalls);
        Volatile.Write(ref _watchedTopic, topic);
        return Valid("WatchResponse", new JsonObject
        {
            ["historyId"] = Mailbox.HistoryId.ToString(CultureInfo.InvariantCulture),
            ["expiration"] = DateTimeOffset.UtcNow.AddDays(7).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        });
    }

    private void Stop()
    {
        Interlocked.Increment(ref _stopCalls);
        Volatile.Write(ref _watchedTopic, null);
    }

    /// <summary>What users.messages.send received: the new message's id, its thread, size, and whether it came by upload.</summary>
    public ConcurrentQueue<(string Id, string ThreadId, int Size, bool Upload)> Sent { get; } = new();

    /// <summary>The JSON (metadata) path takes messages up to 5 MB; the upload path up to 35 MB.</summary>
    public const int JsonLimit = 5 * 1024 * 1024, UploadLimit = 35 * 1024 * 1024;

    private long _nextSent = 0x17000000000000;

    private async Task<(int, string)> SendAsync(HttpContext context, bool upload, CancellationToken ct)
    {
        if (_failures.TryDequeue(out var failure))
            return (failure.Status, Error(failure.Status, "Rate limit exceeded.", failure.Status == 429 ? "rateLimitExceeded" : failure.Reason, "RESOURCE_EXHAUSTED"));
        byte[] raw;
        string? threadId = null;
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, ct);
        var body = buffer.ToArray();
        if (!upload)
        {
            if (body.Length > JsonLimit)
                return (413, Error(413, "Request payload size exceeds the limit: 5242880 bytes.", "uploadTooLarge", "INVALID_ARGUMENT"));
            GmailSchemas.Require("Message", Encoding.UTF8.GetString(body)); // the request is a Message resource
            var json = JsonNode.Parse(body)!.AsObject();
            if (json["raw"]?.GetValue<string>() is not { } text)
                return (400, Error(400, "'raw' RFC822 payload message string or uploading message via /upload/* URL required", "invalidArgument", "INVALID_ARGUMENT"));
            raw = Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/').PadRight(text.Length + (4 - text.Length % 4) % 4, '='));
            threadId = json["threadId"]?.GetValue<string>();
        }
        else
        {
            if (body.Length > UploadLimit + 64 * 1024)
                return (413, Error(413, "Request payload size exceeds the limit.", "uploadTooLarge", "INVALID_ARGUMENT"));
            var uploadType = context.Request.Query["uploadType"].ToString();
            if (uploadType == "media")
            {
                raw = body;
            }
            else if (uploadType == "multipart" && MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var media)
                     && media.MediaType == "multipart/related" && media.Parameters.FirstOrDefault(p => p.Name == "boundary")?.Value is { } boundary)
            {
                var reader = new Microsoft.AspNetCore.WebUtilities.MultipartReader(boundary.Trim('"'), new MemoryStream(body));
                // Sections are read in order: a section's body is gone once the next one is read.
                var metadata = await reader.ReadNextSectionAsync(ct);
                if (metadata is null || metadata.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
                    return (400, Error(400, "multipart upload starts with the JSON metadata", "invalidArgument", "INVALID_ARGUMENT"));
                using (var metaText = new StreamReader(metadata.Body))
                {
                    var metadataJson = await metaText.ReadToEndAsync(ct);
                    GmailSchemas.Require("Message", metadataJson);
                    threadId = JsonNode.Parse(metadataJson)?["threadId"]?.GetValue<string>();
                }
                var message = await reader.ReadNextSectionAsync(ct);
                if (message is null || message.ContentType != "message/rfc822")
                    return (400, Error(400, "multipart upload needs a message/rfc822 part", "invalidArgument", "INVALID_ARGUMENT"));
                using var part = new MemoryStream();
                await message.Body.CopyToAsync(part, ct);
                raw = part.ToArray();
            }
            else
            {
                return (400, Error(400, "uploadType must be media or multipart", "invalidArgument", "INVALID_ARGUMENT"));
            }
        }

        if (threadId is not null && !Mailbox.List(null).Any(id => Mailbox.Get(id)?.ThreadId == threadId))
            return (404, Error(404, "Requested entity was not found.", "notFound", "NOT_FOUND"));
        var gmailId = (ulong)Interlocked.Increment(ref _nextSent);
        var thread = threadId is null ? gmailId : ulong.Parse(threadId, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        var id = Mailbox.Add(gmailId, thread, raw, DateTimeOffset.UtcNow, "SENT");
        var sentThread = Mailbox.Get(id)!.ThreadId;
        Sent.Enqueue((id, sentThread, raw.Length, upload));
        return Valid("Message", new JsonObject { ["id"] = id, ["threadId"] = sentThread, ["labelIds"] = new JsonArray("SENT") });
    }
}
