using System.Security.Claims;
using Mailroom.Storage.Queries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Server.Api.V1;

/// <summary><c>/v1/threads</c>: conversations, latest activity first, and one thread with its messages.</summary>
internal static class ThreadsApi
{
    private const string List = "threads";

    public static RouteGroupBuilder MapThreads(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/threads").WithTags("Threads");
        group.MapGet("/", ListAsync).WithName("ListThreads").WithSummary("Threads, latest message first; of one mailbox with mailbox=ID.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:long}", GetAsync).WithName("GetThread")
            .WithSummary("A thread and its messages, oldest first, each with why it joined the thread and the folders that hold it.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    private static async Task<Results<Ok<Page<ThreadJson>>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, OrganizationQueries queries, CancellationToken cancellationToken, long? mailbox = null, string? cursor = null, int? limit = null)
    {
        if (Paging.Limit(limit, out var size) is { } bad)
            return bad;
        if (!Paging.TryDecode(cursor, List, out DateKeyset? after))
            return Paging.BadCursor();
        var org = user.OrganizationId();
        if (mailbox is { } mailboxId && await queries.GetMailboxAsync(org, mailboxId, cancellationToken) is null)
            return Problems.NotFound($"mailbox {mailboxId}");
        var (rows, next) = await queries.ListThreadsAsync(org, mailbox, after, size, cancellationToken);
        return TypedResults.Ok(new Page<ThreadJson>(
            [.. rows.Select(r => ThreadJson.From(r.MailboxId, r.Thread))], next is { } n ? Paging.Encode(List, n) : null));
    }

    internal static async Task<Results<Ok<ThreadDetailJson>, ProblemHttpResult>> GetAsync(
        long id, ClaimsPrincipal user, OrganizationQueries queries, StoreInspector inspector, CancellationToken cancellationToken)
    {
        if (await queries.GetThreadAsync(user.OrganizationId(), id, cancellationToken) is not { } found)
            return Problems.NotFound($"thread {id}");
        var messages = await inspector.ListThreadMessagesAsync(id, cancellationToken);
        return TypedResults.Ok(new ThreadDetailJson(
            ThreadJson.From(found.MailboxId, found.Thread),
            [.. messages.Select(m => new ThreadMessageJson(
                m.Id, m.MessageIdHeader, m.InReplyTo, m.References, m.Subject, m.Date, m.From, m.Reason is { } reason ? EnumWords.Of(reason) : null, m.Folders))]));
    }
}

/// <summary>A thread as listed: its subject (the earliest message's), size and dates.</summary>
internal sealed record ThreadJson(long Id, long MailboxId, string? Subject, int MessageCount, DateTimeOffset? FirstDate, DateTimeOffset? LastDate)
{
    public static ThreadJson From(long mailboxId, StoredThreadView t) => new(t.Id, mailboxId, t.Subject, t.MessageCount, t.FirstDate, t.LastDate);
}

/// <summary>A thread with its messages, oldest first.</summary>
internal sealed record ThreadDetailJson(ThreadJson Thread, IReadOnlyList<ThreadMessageJson> Messages);

/// <summary>A message of a thread; <paramref name="Reason"/> is root, reference, providerid or subject.</summary>
internal sealed record ThreadMessageJson(
    long Id, string? MessageId, string? InReplyTo, IReadOnlyList<string> References, string? Subject, DateTimeOffset? Date, string? From,
    string? Reason, IReadOnlyList<string> Folders);
