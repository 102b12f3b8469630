using System.Security.Claims;
using Mailroom.Core.Sending;
using Mailroom.Core.Storage;
using Mailroom.Server.Sending;
using Mailroom.Storage.Queries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Server.Api.V1;

/// <summary>
/// <c>/v1/send</c> and <c>/v1/outbox</c>: queue a message (persisted before anything is sent; <c>serve</c>'s outbox
/// worker sends it, retries temporary failures and files the Sent copy) and follow where it stands.
/// </summary>
internal static class SendApi
{
    private const string List = "outbox";
    private const string IdempotencyHeader = "Idempotency-Key";

    public static RouteGroupBuilder MapSend(this RouteGroupBuilder v1)
    {
        v1.MapPost("/send", SendAsync).WithTags("Sending").WithName("Send")
            .WithSummary("Queue a message: the fields of `mailroom send --json` (account, from, to, cc, bcc, subject, text, html, attachments as fileName + contentBase64, replyToMessage, forwardMessage, headers, invitation, international); the Idempotency-Key header or idempotencyKey field makes a retry return the first request's item.")
            .Accepts<SendRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        var outbox = v1.MapGroup("/outbox").WithTags("Sending");
        outbox.MapGet("/", ListAsync).WithName("ListOutbox").WithSummary("Queued, sending, sent, retrying and failed messages, newest first.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        outbox.MapGet("/{id:long}", GetAsync).WithName("GetOutboxItem").WithSummary("One outbox item: state, attempts, the server's last reply, the Sent copy.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    internal static async Task<Results<Accepted<OutboxItem>, Ok<OutboxItem>, ProblemHttpResult>> SendAsync(
        SendRequest request, HttpRequest http, ClaimsPrincipal user, IAccountStore accounts, MessageLookup lookup, MessageComposer composer,
        IOutboxStore outbox, OutboxSender sender, CancellationToken cancellationToken)
    {
        string? headerKey = http.Headers[IdempotencyHeader];
        if (headerKey is not null && request.IdempotencyKey is not null && headerKey != request.IdempotencyKey)
            return Problems.BadRequest("The Idempotency-Key header and idempotencyKey differ; give one.");
        var key = headerKey ?? request.IdempotencyKey ?? "api-" + Guid.NewGuid().ToString("N");
        if (key.Length is 0 or > 200)
            return Problems.BadRequest("The idempotency key must be 1 to 200 characters.");
        if (request.Account is null)
            return Problems.BadRequest("account (the id or name of the mailbox to send from) is required.");
        if (request.Attachments.Any(a => a.Path is not null))
            return Problems.BadRequest("Attachments are given as fileName and contentBase64 over the API (path reads files on the server).");

        var mailbox = await accounts.FindMailboxAsync(request.Account, cancellationToken);
        if (mailbox is null || mailbox.OrganizationId != user.OrganizationId())
            return Problems.NotFound($"mailbox '{request.Account}'");
        // An IMAP or POP3 mailbox needs its SMTP server; an API mailbox (Gmail API, Graph, EWS) sends through its API.
        if (sender.CannotSend(mailbox) is { } cannot)
            return Problems.Conflict($"Mailbox {mailbox.Id} cannot send: {cannot}");

        ComposedMessage composed;
        try
        {
            var draft = await SendDrafts.BuildAsync(request, mailbox, lookup, Path.GetTempPath(), cancellationToken);
            composed = composer.Compose(draft, request.International);
        }
        catch (InvalidDataException ex)
        {
            return Problems.BadRequest(ex.Message);
        }
        catch (InvalidMessageException ex)
        {
            return Problems.BadRequest(string.Join("; ", ex.Problems));
        }

        var (item, created) = await outbox.EnqueueAsync(mailbox.Id, key, composed, cancellationToken);
        return created ? TypedResults.Accepted($"/v1/outbox/{item.Id}", item) : TypedResults.Ok(item);
    }

    internal static async Task<Results<Ok<Page<OutboxItem>>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, OrganizationQueries queries, CancellationToken cancellationToken, long? mailbox = null, string? cursor = null, int? limit = null)
    {
        if (Paging.Limit(limit, out var size) is { } bad)
            return bad;
        if (!Paging.TryDecode(cursor, List, out long? before))
            return Paging.BadCursor();
        var org = user.OrganizationId();
        if (mailbox is { } mailboxId && await queries.GetMailboxAsync(org, mailboxId, cancellationToken) is null)
            return Problems.NotFound($"mailbox {mailboxId}");
        var rows = await queries.ListOutboxAsync(org, mailbox, before, size + 1, cancellationToken);
        var items = rows.Take(size).ToList();
        return TypedResults.Ok(new Page<OutboxItem>(items,
            rows.Count > size ? Paging.Encode(List, items[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null));
    }

    internal static async Task<Results<Ok<OutboxItem>, ProblemHttpResult>> GetAsync(
        long id, ClaimsPrincipal user, OrganizationQueries queries, CancellationToken cancellationToken) =>
        await queries.GetOutboxItemAsync(user.OrganizationId(), id, cancellationToken) is { } item
            ? TypedResults.Ok(item)
            : Problems.NotFound($"outbox item {id}");
}
