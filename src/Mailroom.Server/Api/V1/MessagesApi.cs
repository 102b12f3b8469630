using System.Globalization;
using System.Security.Claims;
using Mailroom.Core.Html;
using Mailroom.Core.Messages;
using Mailroom.Server.View;
using Mailroom.Storage.Queries;
using MimeKit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Server.Api.V1;

/// <summary><c>/v1/messages</c>: list with filters, one message, its raw .eml, its attachments and its sanitized HTML.</summary>
internal static class MessagesApi
{
    private const string List = "messages";

    public static RouteGroupBuilder MapMessages(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/messages").WithTags("Messages");
        group.MapGet("/", ListAsync).WithName("ListMessages")
            .WithSummary("Messages newest first (Date header, then id; undated last), filtered by mailbox, folder, thread, contact (external id), since and unread.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:long}", GetAsync).WithName("GetMessage")
            .WithSummary("One message: addresses, threading reason, attachments (metadata), folders and flags, text body.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:long}/raw", RawAsync).WithName("GetRawMessage").WithSummary("The original message as stored (.eml).")
            .Produces(StatusCodes.Status200OK, contentType: "message/rfc822").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:long}/attachments/{position:int}", AttachmentAsync).WithName("GetAttachment")
            .WithSummary("An attachment's decoded content, always as a download (Content-Disposition: attachment, nosniff).")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:long}/html", HtmlAsync).WithName("GetMessageHtml")
            .WithSummary("The sanitized HTML view and its privacy report; remote=1 loads remote images through the signed proxy.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:long}/view", ViewLinkAsync).WithName("GetMessageViewLink")
            .WithSummary("A signed link to the message's safe view page (for an iframe: a browser cannot send the API key), valid for View:LinkLifetime.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:long}/inline/{index:int}", InlineAsync).WithName("GetInlineImage")
            .WithSummary("An inline image the sanitized HTML refers to.")
            .Produces(StatusCodes.Status200OK, contentType: "image/png").ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    private static async Task<Results<Ok<Page<MessageJson>>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, OrganizationQueries queries, CancellationToken cancellationToken,
        long? mailbox = null, long? folder = null, long? thread = null, string? contact = null, DateTimeOffset? since = null, bool? unread = null,
        string? cursor = null, int? limit = null)
    {
        if (Paging.Limit(limit, out var size) is { } bad)
            return bad;
        if (!Paging.TryDecode(cursor, List, out DateKeyset? after))
            return Paging.BadCursor();
        var org = user.OrganizationId();
        if (mailbox is { } mailboxId && await queries.GetMailboxAsync(org, mailboxId, cancellationToken) is null)
            return Problems.NotFound($"mailbox {mailboxId}");
        if (folder is { } folderId)
        {
            var owner = await queries.GetFolderMailboxAsync(org, folderId, cancellationToken);
            if (owner is null)
                return Problems.NotFound($"folder {folderId}");
            if (mailbox is { } m && m != owner)
                return Problems.BadRequest($"folder {folderId} is not a folder of mailbox {m}.");
        }
        if (thread is { } threadId && await queries.GetThreadAsync(org, threadId, cancellationToken) is null)
            return Problems.NotFound($"thread {threadId}");
        long? contactId = null;
        if (contact is not null && (contactId = await queries.FindContactIdAsync(org, contact, cancellationToken)) is null)
            return Problems.NotFound($"contact '{contact}'");

        var (rows, next) = await queries.ListMessagesAsync(
            org, new MessageFilter(mailbox, folder, thread, contactId, since, unread), after, size, cancellationToken);
        return TypedResults.Ok(new Page<MessageJson>([.. rows.Select(MessageJson.Of)], next is { } n ? Paging.Encode(List, n) : null));
    }

    internal static async Task<Results<Ok<MessageDetailJson>, ProblemHttpResult>> GetAsync(
        long id, ClaimsPrincipal user, OrganizationQueries queries, CancellationToken cancellationToken) =>
        await queries.GetMessageAsync(user.OrganizationId(), id, cancellationToken) is { } message
            ? TypedResults.Ok(MessageDetailJson.From(message))
            : Problems.NotFound($"message {id}");

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> RawAsync(
        long id, HttpContext http, ClaimsPrincipal user, OrganizationQueries queries, CancellationToken cancellationToken)
    {
        if (await queries.GetRawAsync(user.OrganizationId(), id, cancellationToken) is not { } raw)
            return Problems.NotFound($"message {id}");
        ViewApi.SetDownloadHeaders(http);
        return TypedResults.File(raw, "message/rfc822", string.Create(CultureInfo.InvariantCulture, $"message-{id}.eml"));
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> AttachmentAsync(
        long id, int position, HttpContext http, ClaimsPrincipal user, OrganizationQueries queries, CancellationToken cancellationToken)
    {
        var org = user.OrganizationId();
        if (await queries.GetMessageAsync(org, id, cancellationToken) is not { } message)
            return Problems.NotFound($"message {id}");
        if (message.Attachments.FirstOrDefault(a => a.Position == position) is not { } attachment)
            return Problems.NotFound($"attachment {position} in message {id}");
        var raw = await queries.GetRawAsync(org, id, cancellationToken);
        // Read as at ingest, so that part numbers match, and give the content as the sender attached it.
        using var parts = MessageParts.Open(raw!);
        if (parts.Find(attachment.PartPath) is not { } found)
            return Problems.NotFound($"attachment {position} in message {id} (its part cannot be located in the stored message)");
        var content = found.Content;
        var type = found.Entity is MimePart part ? ViewApi.DownloadType(part) : "message/rfc822";
        ViewApi.SetDownloadHeaders(http);
        var name = attachment.FileName ?? string.Create(CultureInfo.InvariantCulture, $"attachment-{position}");
        return TypedResults.File(content, type, name);
    }

    private static async Task<Results<Ok<SafeHtmlJson>, ProblemHttpResult>> HtmlAsync(
        long id, ClaimsPrincipal user, OrganizationQueries queries, MessageViewRenderer renderer, ViewUrlSigner signer,
        CancellationToken cancellationToken, int? remote = null)
    {
        if (await queries.GetRawAsync(user.OrganizationId(), id, cancellationToken) is not { } raw)
            return Problems.NotFound($"message {id}");
        if (remote is not (null or 0 or 1))
            return Problems.BadRequest("remote must be 0 or 1.");
        var allow = remote == 1;
        var view = renderer.Render(raw, index => InlineUrl(id, index), allow ? signer.Sign : null);
        return TypedResults.Ok(new SafeHtmlJson(id, allow, view.Html, PrivacyReportJson.From(view.Report)));
    }

    internal static async Task<Results<Ok<ViewLinkJson>, ProblemHttpResult>> ViewLinkAsync(
        long id, ClaimsPrincipal user, OrganizationQueries queries, ViewUrlSigner signer, ViewOptions options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!await queries.HasMessageAsync(user.OrganizationId(), id, cancellationToken))
            return Problems.NotFound($"message {id}");
        var expires = time.GetUtcNow() + options.LinkLifetime;
        return TypedResults.Ok(new ViewLinkJson(id, ViewApi.Link(signer, id, expires), DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds())));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> InlineAsync(
        long id, int index, HttpContext http, ClaimsPrincipal user, OrganizationQueries queries, CancellationToken cancellationToken)
    {
        if (await queries.GetRawAsync(user.OrganizationId(), id, cancellationToken) is not { } raw)
            return Problems.NotFound($"message {id}");
        var mime = await MimeMessage.LoadAsync(new MemoryStream(raw, writable: false), cancellationToken);
        var parts = MessageViewRenderer.LeafParts(mime);
        if (index < 0 || index >= parts.Count || !MessageViewRenderer.IsInlineImage(parts[index]))
            return Problems.NotFound($"inline image {index} in message {id}");
        ViewApi.SetDownloadHeaders(http);
        http.Response.Headers.CacheControl = "private, max-age=86400";
        return TypedResults.File(ViewApi.Decode(parts[index]), parts[index].ContentType.MimeType.ToLowerInvariant());
    }

    private static string InlineUrl(long id, int index) => string.Create(CultureInfo.InvariantCulture, $"/v1/messages/{id}/inline/{index}");
}
