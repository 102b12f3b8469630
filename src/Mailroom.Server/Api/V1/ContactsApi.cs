using System.Security.Claims;
using Mailroom.Core.Contacts;
using Mailroom.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Server.Api.V1;

/// <summary><c>/v1/contacts</c>: CRUD by external id, bulk upsert, a contact's timeline, and unmatched correspondents.</summary>
internal static class ContactsApi
{
    private const string List = "contacts";
    private const string Timeline = "timeline";
    private const int MaxBulk = 1000;

    public static RouteGroupBuilder MapContacts(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/contacts").WithTags("Contacts");
        group.MapGet("/", ListAsync).WithName("ListContacts").WithSummary("Contacts by external id; q= keeps those whose id, name or an address contains it.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost("/", CreateAsync).WithName("CreateContact").WithSummary("Create a contact; it is linked to the stored mail that names it.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/bulk", BulkAsync).WithName("UpsertContacts")
            .WithSummary("Create or replace up to 1,000 contacts by external id; all are validated before any is stored.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/candidates", CandidatesAsync).WithName("ListCandidates")
            .WithSummary("Frequent correspondents that match no contact, most frequent first (a ranking: limit, no cursor).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/{externalId}", GetAsync).WithName("GetContact").WithSummary("One contact.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{externalId}", ReplaceAsync).WithName("ReplaceContact").WithSummary("Create or replace the contact's name and addresses.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPatch("/{externalId}", PatchAsync).WithName("UpdateContact").WithSummary("Rename, add and remove addresses.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{externalId}", DeleteAsync).WithName("DeleteContact").WithSummary("Remove the contact and its links.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{externalId}/timeline", TimelineAsync).WithName("GetContactTimeline")
            .WithSummary("The contact's mail across the organization's mailboxes, newest first; an email held by several mailboxes is one entry.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    internal static async Task<Results<Ok<Page<ContactJson>>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, IContactStore contacts, CancellationToken cancellationToken, string? cursor = null, int? limit = null, string? q = null)
    {
        if (Paging.Limit(limit, out var size) is { } bad)
            return bad;
        if (!Paging.TryDecode(cursor, List, out string? after))
            return Paging.BadCursor();
        if (q is { Length: > 200 })
            return Problems.BadRequest("q must be at most 200 characters.");
        var rows = string.IsNullOrWhiteSpace(q)
            ? await contacts.ListPageAsync(user.OrganizationId(), after, size + 1, cancellationToken)
            : await contacts.SearchPageAsync(user.OrganizationId(), q, after, size + 1, cancellationToken);
        var items = rows.Take(size).Select(ContactJson.From).ToList();
        return TypedResults.Ok(new Page<ContactJson>(items, rows.Count > size ? Paging.Encode(List, items[^1].ExternalId) : null));
    }

    internal static async Task<Results<Created<ContactSavedJson>, ProblemHttpResult>> CreateAsync(
        ContactRequest request, ClaimsPrincipal user, IContactStore contacts, CancellationToken cancellationToken)
    {
        if (Validate(request, out var input) is { } problem)
            return Problems.BadRequest(problem);
        var org = user.OrganizationId();
        if (await contacts.GetAsync(org, input.ExternalId.Trim(), cancellationToken) is not null)
            return Problems.Conflict($"A contact with external id '{input.ExternalId.Trim()}' exists; use PUT or PATCH to change it.");
        var saved = await contacts.UpsertAsync(org, input, cancellationToken);
        return TypedResults.Created(ContactUrl(saved.Contact.ExternalId), ContactSavedJson.From(saved));
    }

    private static async Task<Results<Ok<BulkContactsJson>, ProblemHttpResult>> BulkAsync(
        BulkContactsRequest request, ClaimsPrincipal user, IContactStore contacts, CancellationToken cancellationToken)
    {
        if (request.Contacts is not { Count: > 0 } items)
            return Problems.BadRequest("contacts must hold at least one contact.");
        if (items.Count > MaxBulk)
            return Problems.BadRequest($"at most {MaxBulk} contacts per request.");
        var inputs = new List<ContactInput>(items.Count);
        var errors = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            if (Validate(items[i], out var input) is { } problem)
                errors.Add($"contacts[{i}]: {problem}");
            else
                inputs.Add(input);
        }
        var duplicates = inputs.GroupBy(c => c.ExternalId.Trim(), StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
            errors.Add($"external ids given more than once: {string.Join(", ", duplicates)}");
        if (errors.Count > 0)
            return Problems.BadRequest(string.Join("; ", errors.Take(20)));
        var org = user.OrganizationId();
        var results = new List<ContactSavedJson>(inputs.Count);
        foreach (var input in inputs)
            results.Add(ContactSavedJson.From(await contacts.UpsertAsync(org, input, cancellationToken)));
        return TypedResults.Ok(new BulkContactsJson(results));
    }

    internal static async Task<Results<Ok<ContactJson>, ProblemHttpResult>> GetAsync(
        string externalId, ClaimsPrincipal user, IContactStore contacts, CancellationToken cancellationToken) =>
        await contacts.GetAsync(user.OrganizationId(), externalId, cancellationToken) is { } contact
            ? TypedResults.Ok(ContactJson.From(contact))
            : Problems.NotFound($"contact '{externalId}'");

    internal static async Task<Results<Ok<ContactSavedJson>, ProblemHttpResult>> ReplaceAsync(
        string externalId, ContactReplaceRequest request, ClaimsPrincipal user, IContactStore contacts, CancellationToken cancellationToken)
    {
        if (Validate(new ContactRequest(externalId, request.Name, request.Addresses), out var input) is { } problem)
            return Problems.BadRequest(problem);
        return TypedResults.Ok(ContactSavedJson.From(await contacts.UpsertAsync(user.OrganizationId(), input, cancellationToken)));
    }

    private static async Task<Results<Ok<ContactSavedJson>, ProblemHttpResult>> PatchAsync(
        string externalId, ContactPatchRequest request, ClaimsPrincipal user, IContactStore contacts, CancellationToken cancellationToken)
    {
        try
        {
            var saved = await contacts.UpdateAsync(user.OrganizationId(), externalId, request.Name, request.Add ?? [], request.Remove ?? [], cancellationToken);
            return saved is null ? Problems.NotFound($"contact '{externalId}'") : TypedResults.Ok(ContactSavedJson.From(saved));
        }
        catch (ArgumentException ex)
        {
            return Problems.BadRequest(ex.Message.Split(" (Parameter", 2)[0]);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string externalId, ClaimsPrincipal user, IContactStore contacts, CancellationToken cancellationToken) =>
        await contacts.RemoveAsync(user.OrganizationId(), externalId, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound($"contact '{externalId}'");

    internal static async Task<Results<Ok<Page<TimelineEntryJson>>, ProblemHttpResult>> TimelineAsync(
        string externalId, ClaimsPrincipal user, IContactStore contacts, CancellationToken cancellationToken, string? cursor = null, int? limit = null)
    {
        if (Paging.Limit(limit, out var size) is { } bad)
            return bad;
        if (!Paging.TryDecode(cursor, Timeline, out string? position))
            return Paging.BadCursor();
        TimelineCursor? after = null;
        if (position is not null)
        {
            if (!TimelineCursor.TryParse(position, out var parsed))
                return Paging.BadCursor();
            after = parsed;
        }
        var page = await contacts.GetTimelineAsync(user.OrganizationId(), externalId, size, after, cancellationToken);
        if (page is null)
            return Problems.NotFound($"contact '{externalId}'");
        return TypedResults.Ok(new Page<TimelineEntryJson>(
            [.. page.Entries.Select(TimelineEntryJson.Of)], page.NextCursor is { } next ? Paging.Encode(Timeline, next) : null));
    }

    private static async Task<Results<Ok<IReadOnlyList<CandidateJson>>, ProblemHttpResult>> CandidatesAsync(
        ClaimsPrincipal user, IContactStore contacts, CancellationToken cancellationToken, int? limit = null)
    {
        if (Paging.Limit(limit, out var size) is { } bad)
            return bad;
        var rows = await contacts.GetUnmatchedCorrespondentsAsync(user.OrganizationId(), size, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<CandidateJson>>([.. rows.Select(r => new CandidateJson(r.Address, r.Name, r.Messages, r.LastSeen))]);
    }

    private static string? Validate(ContactRequest request, out ContactInput input)
    {
        input = new ContactInput(request.ExternalId ?? "", request.Name ?? "", request.Addresses ?? []);
        return input.Validate(out _);
    }

    private static string ContactUrl(string externalId) => "/v1/contacts/" + Uri.EscapeDataString(externalId);
}
