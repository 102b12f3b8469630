using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Mailroom.TestSupport.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mailroom.TestSupport.Graph;

/// <summary>The fake Graph's deltas, sendMail, JSON shapes (held to the CSDL), tokens and answers.</summary>
public sealed partial class FakeGraphApi
{
    private JsonObject FolderDelta(HttpContext context)
    {
        var all = Mailbox.Folders().OrderBy(f => f.Id, StringComparer.Ordinal).ToList();
        var size = PageSize(context);
        var skip = int.TryParse(context.Request.Query["$skiptoken"], CultureInfo.InvariantCulture, out var s) ? s : 0;
        var page = new JsonArray([.. all.Skip(skip).Take(size).Select(f => (JsonNode)Checked("mailFolder", FolderJson(f)))]);
        var path = RequestUrl(context);
        var result = new JsonObject { ["@odata.context"] = $"{BaseUrl}/$metadata#Collection(mailFolder)", ["value"] = page };
        if (skip + size < all.Count)
            result["@odata.nextLink"] = $"{path}?$skiptoken={skip + size}";
        else
            result["@odata.deltaLink"] = $"{path}?$deltatoken={Mailbox.Position}";
        return result;
    }

    private (int, JsonObject) MessageDelta(HttpContext context, string folder)
    {
        if (!Mailbox.TryFolder(folder, out var f))
            return (404, Error("ErrorItemNotFound", "The specified object was not found in the store."));
        long after, upTo;
        int skip;
        var query = context.Request.Query;
        if (query["$deltatoken"].ToString() is { Length: > 0 } delta)
        {
            if (!long.TryParse(delta, CultureInfo.InvariantCulture, out after))
                return (400, Error("ErrorInvalidSyncStateData", "The sync state data is corrupt or otherwise invalid."));
            upTo = Mailbox.Position;
            skip = 0;
        }
        else if (query["$skiptoken"].ToString() is { Length: > 0 } skipToken)
        {
            var parts = skipToken.Split('.');
            if (parts.Length != 3 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out after)
                || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out upTo) || !int.TryParse(parts[2], CultureInfo.InvariantCulture, out skip))
                return (400, Error("ErrorInvalidSyncStateData", "The sync state data is corrupt or otherwise invalid."));
        }
        else
        {
            (after, upTo, skip) = (0, Mailbox.Position, 0);
        }
        if (after > 0 && after < Mailbox.ExpireTokensBefore)
            return (410, Error("SyncStateNotFound", "The sync state is no longer available; a full sync is required."));

        var items = Mailbox.Delta(f!.Id, after, upTo);
        var size = PageSize(context);
        var value = new JsonArray();
        foreach (var (id, current) in items.Skip(skip).Take(size))
        {
            value.Add(current is null
                ? new JsonObject { ["@odata.type"] = "#microsoft.graph.message", ["id"] = id, ["@removed"] = new JsonObject { ["reason"] = "deleted" } }
                : Checked("message", MessageJson(current)));
        }
        var path = RequestUrl(context);
        var result = new JsonObject { ["@odata.context"] = $"{BaseUrl}/$metadata#Collection(message)", ["value"] = value };
        if (skip + size < items.Count)
            result["@odata.nextLink"] = $"{path}?$skiptoken={after}.{upTo}.{skip + size}";
        else
            result["@odata.deltaLink"] = $"{path}?$deltatoken={upTo}";
        return (200, result);
    }

    /// <summary>The request's URL without its query, as links repeat it.</summary>
    private string RequestUrl(HttpContext context) => $"{BaseUrl}/{string.Join('/', (context.Request.Path.Value ?? "").Trim('/').Split('/').Skip(1))}";

    private async Task SendMailAsync(HttpContext context, CancellationToken ct)
    {
        if (!(context.Request.ContentType ?? "").StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            await WriteAsync(context.Response, 415, Error("UnsupportedMediaType", "MIME content must be text/plain, base64."));
            return;
        }
        using var reader = new StreamReader(context.Request.Body, Encoding.ASCII);
        var text = await reader.ReadToEndAsync(ct);
        byte[] mime;
        try
        {
            mime = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            await WriteAsync(context.Response, 400, Error("ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content."));
            return;
        }
        lock (Mailbox.Sent)
            Mailbox.Sent.Add(mime);
        // Exchange files the Sent copy itself.
        Mailbox.Add("sentitems", mime, "sent-" + Mailbox.Sent.Count.ToString(CultureInfo.InvariantCulture), DateTimeOffset.UtcNow, isRead: true);
        context.Response.StatusCode = 202;
    }

    private static JsonObject FolderJson(FakeGraphFolder f) => new()
    {
        ["id"] = f.Id,
        ["displayName"] = f.DisplayName,
        ["parentFolderId"] = f.ParentId,
        ["childFolderCount"] = 0,
        ["totalItemCount"] = 0,
        ["unreadItemCount"] = 0,
        ["isHidden"] = false,
    };

    internal static JsonObject MessageJson(FakeGraphMessage m) => new()
    {
        ["@odata.type"] = "#microsoft.graph.message",
        ["@odata.etag"] = "W/\"CQAAABYAAAA\"",
        ["id"] = m.Id,
        ["conversationId"] = m.ConversationId,
        ["isRead"] = m.IsRead,
        ["flag"] = new JsonObject { ["flagStatus"] = m.Flagged ? "flagged" : "notFlagged" },
        ["categories"] = new JsonArray([.. m.Categories.Select(c => (JsonNode)c)]),
        ["receivedDateTime"] = m.ReceivedDateTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["parentFolderId"] = m.FolderId,
    };

    /// <summary>Throws when <paramref name="json"/> is not of the CSDL type: the fake must not drift from Graph.</summary>
    internal static JsonObject Checked(string type, JsonObject json)
    {
        if (GraphCsdl.Available && GraphCsdl.Check(type, json) is { Count: > 0 } errors)
            throw new InvalidOperationException($"The fake's {type} does not conform to the Graph v1.0 CSDL: {string.Join("; ", errors)}");
        return json;
    }

    private static int PageSize(HttpContext context)
    {
        foreach (var prefer in context.Request.Headers["Prefer"])
        {
            var at = prefer?.IndexOf("odata.maxpagesize=", StringComparison.Ordinal) ?? -1;
            if (at >= 0 && int.TryParse(prefer![(at + 18)..].Split(',')[0], CultureInfo.InvariantCulture, out var n) && n > 0)
                return n;
        }
        return DefaultPageSize;
    }

    /// <summary>False for a user's token, true for an application's, null for none the provider knows.</summary>
    private async Task<bool?> TokenKindAsync(string token, CancellationToken ct)
    {
        if (_valid.TryGetValue(token, out var known) && known.Until > DateTimeOffset.UtcNow)
            return known.Application;
        bool application;
        if (await _validate(token, ct))
            application = false;
        else if (ValidateApplication is { } app && await app(token, ct))
            application = true;
        else
            return null;
        _valid[token] = (DateTimeOffset.UtcNow.AddSeconds(5), application);
        return application;
    }

    internal static JsonObject Error(string code, string message) => new()
    {
        ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["innerError"] = new JsonObject { ["request-id"] = Guid.NewGuid().ToString() } },
    };

    private static async Task WriteAsync(HttpResponse response, int status, JsonObject body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.WriteAsync(body.ToJsonString());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
