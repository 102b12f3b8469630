using System.Security.Claims;
using Mailroom.Connectors.Discovery;
using Mailroom.Core.Storage;
using Mailroom.Server.Accounts;
using Mailroom.Server.Sync;
using Mailroom.Storage.Queries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Server.Api.V1;

/// <summary><c>/v1/mailboxes</c>: connect, inspect, sync now, pause, resume and remove mailboxes, and list their folders.</summary>
internal static class MailboxesApi
{
    private const string List = "mailboxes";

    public static RouteGroupBuilder MapMailboxes(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/mailboxes").WithTags("Mailboxes");
        group.MapGet("/", ListAsync).WithName("ListMailboxes").WithSummary("The organization's mailboxes, by id.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost("/", CreateAsync).WithName("CreateMailbox")
            .WithSummary("Connect a mailbox: from an address (discovery) or explicit IMAP/POP3 settings; the login is checked first.")
            .Accepts<CreateMailboxRequest>("application/json")
            .Produces<CreatedMailboxJson>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status502BadGateway);
        group.MapGet("/{id:long}", GetAsync).WithName("GetMailbox").WithSummary("One mailbox.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:long}/address", SetAddressAsync).WithName("SetMailboxAddress")
            .WithSummary("Set the mailbox's own address (the default From, left out of contact candidates), apart from its login.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:long}/address", (long id, ClaimsPrincipal user, OrganizationQueries queries, IAccountStore accounts, CancellationToken ct) =>
                ChangeAddressAsync(id, null, user, queries, accounts, ct))
            .WithName("ForgetMailboxAddress").WithSummary("Forget the mailbox's address: the next sync learns it from the Sent folder again.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:long}/status", StatusAsync).WithName("GetMailboxStatus")
            .WithSummary("The mailbox's state, last sync and error, and each folder's counts and last sync.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:long}/folders", FoldersAsync).WithName("ListFolders").WithSummary("The mailbox's folders, by path.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:long}/sync", SyncAsync).WithName("SyncMailbox")
            .WithSummary("Sync now: the mailbox's worker starts again with a full sync (202; watch /status).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}/pause", (long id, ClaimsPrincipal user, OrganizationQueries queries, IAccountStore accounts, MailboxSignals signals, CancellationToken ct) =>
                SetPausedAsync(id, true, user, queries, accounts, signals, ct))
            .WithName("PauseMailbox").WithSummary("Stop syncing the mailbox until it is resumed.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:long}/resume", (long id, ClaimsPrincipal user, OrganizationQueries queries, IAccountStore accounts, MailboxSignals signals, CancellationToken ct) =>
                SetPausedAsync(id, false, user, queries, accounts, signals, ct))
            .WithName("ResumeMailbox").WithSummary("Sync the mailbox again.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteMailbox")
            .WithSummary("Stop the mailbox's worker and remove the mailbox with everything synced from it.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    internal static async Task<Results<Ok<Page<MailboxJson>>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, OrganizationQueries queries, CancellationToken cancellationToken, string? cursor = null, int? limit = null)
    {
        if (Paging.Limit(limit, out var size) is { } bad)
            return bad;
        if (!Paging.TryDecode(cursor, List, out long? after))
            return Paging.BadCursor();
        var rows = await queries.ListMailboxesAsync(user.OrganizationId(), after, size + 1, cancellationToken);
        var items = rows.Take(size).Select(MailboxJson.From).ToList();
        return TypedResults.Ok(new Page<MailboxJson>(items, rows.Count > size ? Paging.Encode(List, items[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null));
    }

    internal static Task<IResult> CreateAsync(
        CreateMailboxRequest request, ClaimsPrincipal user, MailboxOnboarding onboarding, DiscoveryOptions discoveryOptions, CancellationToken cancellationToken) =>
        MailboxCreation.CreateAsync(user.OrganizationId(), request, onboarding, discoveryOptions, cancellationToken);

    private static async Task<Results<Ok<MailboxJson>, ProblemHttpResult>> SetAddressAsync(
        long id, MailboxAddressRequest request, ClaimsPrincipal user, OrganizationQueries queries, IAccountStore accounts, CancellationToken cancellationToken)
    {
        if (request.Address is not { } text)
            return Problems.BadRequest("address is required (DELETE forgets it).");
        if (!MailboxOnboarding.TryAddress(text, out var address, out var error))
            return Problems.BadRequest(error!);
        return await ChangeAddressAsync(id, address, user, queries, accounts, cancellationToken);
    }

    private static async Task<Results<Ok<MailboxJson>, ProblemHttpResult>> ChangeAddressAsync(
        long id, string? address, ClaimsPrincipal user, OrganizationQueries queries, IAccountStore accounts, CancellationToken cancellationToken)
    {
        // The address is stored as given, so the mailbox read before the change is the answer with it changed.
        return await queries.GetMailboxAsync(user.OrganizationId(), id, cancellationToken) is { } m
               && await accounts.SetMailboxAddressAsync(id, address, cancellationToken)
            ? TypedResults.Ok(MailboxJson.From(m with { Settings = m.Settings with { Address = address } }))
            : Problems.NotFound($"mailbox {id}");
    }

    internal static async Task<Results<Ok<MailboxJson>, ProblemHttpResult>> GetAsync(
        long id, ClaimsPrincipal user, OrganizationQueries queries, CancellationToken cancellationToken) =>
        await queries.GetMailboxAsync(user.OrganizationId(), id, cancellationToken) is { } m
            ? TypedResults.Ok(MailboxJson.From(m))
            : Problems.NotFound($"mailbox {id}");

    internal static async Task<Results<Ok<MailboxStatusJson>, ProblemHttpResult>> StatusAsync(
        long id, ClaimsPrincipal user, OrganizationQueries queries, StoreInspector inspector, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await queries.GetMailboxAsync(user.OrganizationId(), id, cancellationToken) is not { } m)
            return Problems.NotFound($"mailbox {id}");
        var folders = await inspector.ListFolderStatesAsync(id, cancellationToken);
        var totals = await inspector.GetTotalsAsync(id, cancellationToken);
        long? lag = m.LastSyncedAt is { } at ? (long)Math.Max(0, (time.GetUtcNow() - at).TotalSeconds) : null;
        return TypedResults.Ok(new MailboxStatusJson(MailboxJson.From(m), lag, totals.Messages, totals.RawBytes, [.. folders.Select(FolderJson.From)]));
    }

    private static async Task<Results<Ok<IReadOnlyList<FolderJson>>, ProblemHttpResult>> FoldersAsync(
        long id, ClaimsPrincipal user, OrganizationQueries queries, StoreInspector inspector, CancellationToken cancellationToken)
    {
        if (await queries.GetMailboxAsync(user.OrganizationId(), id, cancellationToken) is null)
            return Problems.NotFound($"mailbox {id}");
        var folders = await inspector.ListFolderStatesAsync(id, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<FolderJson>>([.. folders.Select(FolderJson.From)]);
    }

    internal static async Task<Results<Accepted<MailboxActionJson>, ProblemHttpResult>> SyncAsync(
        long id, ClaimsPrincipal user, OrganizationQueries queries, MailboxSignals signals, CancellationToken cancellationToken)
    {
        if (await queries.GetMailboxAsync(user.OrganizationId(), id, cancellationToken) is not { } m)
            return Problems.NotFound($"mailbox {id}");
        if (m.Paused)
            return Problems.Conflict($"Mailbox {id} is paused; resume it first.");
        if (!MailboxSyncRunner.HasServer(m))
            return Problems.Conflict($"Mailbox {id} is an import archive; it has no server to sync with.");
        signals.SyncNow(id);
        return TypedResults.Accepted($"/v1/mailboxes/{id}/status", new MailboxActionJson(id, "sync", false));
    }

    internal static async Task<Results<Ok<MailboxActionJson>, ProblemHttpResult>> SetPausedAsync(
        long id, bool paused, ClaimsPrincipal user, OrganizationQueries queries, IAccountStore accounts, MailboxSignals signals,
        CancellationToken cancellationToken)
    {
        if (await queries.GetMailboxAsync(user.OrganizationId(), id, cancellationToken) is null)
            return Problems.NotFound($"mailbox {id}");
        await accounts.SetMailboxPausedAsync(id, paused, cancellationToken);
        // Paused: answered once the worker has ended. Resumed: the worker starts at this reconcile.
        await signals.ReconcileAsync(cancellationToken);
        return TypedResults.Ok(new MailboxActionJson(id, paused ? "pause" : "resume", paused));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        long id, ClaimsPrincipal user, OrganizationQueries queries, IAccountStore accounts, MailboxSignals signals, MailboxRemoval removal,
        CancellationToken cancellationToken)
    {
        if (await queries.GetMailboxAsync(user.OrganizationId(), id, cancellationToken) is null)
            return Problems.NotFound($"mailbox {id}");
        // Stop the worker first, so that nothing it is still fetching is written after the rows are gone.
        await accounts.SetMailboxPausedAsync(id, true, cancellationToken);
        await signals.ReconcileAsync(cancellationToken);
        return await accounts.FindMailboxAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken) is { } mailbox
            && await removal.RemoveAsync(mailbox, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"mailbox {id}");
    }
}
