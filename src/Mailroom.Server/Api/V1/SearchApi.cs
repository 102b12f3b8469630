using System.Security.Claims;
using Mailroom.Core.Search;
using Mailroom.Storage.Queries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Server.Api.V1;

/// <summary><c>/v1/search</c>: full-text search over the organization's messages (docs/search.md).</summary>
internal static class SearchApi
{
    private const string List = "search";

    public static RouteGroupBuilder MapSearch(this RouteGroupBuilder v1)
    {
        v1.MapGet("/search", SearchAsync).WithTags("Search").WithName("SearchMessages")
            .WithSummary("Messages matching q, newest first (Date header, then id; undated last), with subject and snippet highlighted.")
            .WithDescription("q: words and \"phrases\" (all must match, in subject, sender, recipients, body or attachment names), "
                + "from:, to:, subject:, has:attachment, before:YYYY-MM-DD, after:YYYY-MM-DD, in:FOLDER (path or role), mailbox:ID|ADDRESS, "
                + "contact:EXTERNAL_ID. subjectHtml and snippetHtml are escaped HTML in which only <mark> elements are markup. "
                + "A query that cannot be read answers 400 with what is wrong in detail.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return v1;
    }

    // A cursor belongs to its query: a page of one search never continues another.
    private static string ListOf(string? q) =>
        List + "-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(q ?? "")))[..12];

    internal static async Task<Results<Ok<Page<SearchHitJson>>, ProblemHttpResult>> SearchAsync(
        ClaimsPrincipal user, OrganizationQueries queries, CancellationToken cancellationToken,
        string? q = null, string? cursor = null, int? limit = null)
    {
        if (Paging.Limit(limit, out var size) is { } bad)
            return bad;
        if (!Paging.TryDecode(cursor, ListOf(q), out DateKeyset? after))
            return Paging.BadCursor();
        if (string.IsNullOrWhiteSpace(q))
            return Problems.BadRequest("q is required: words, \"phrases\" or filters such as from:, in: or has:attachment (see docs/search.md).");
        if (!SearchQueryParser.TryParse(q, out var query, out var error))
            return Problems.BadRequest(error);

        var results = await queries.SearchAsync(user.OrganizationId(), query, after, size, cancellationToken);
        if (results.Problem is { } problem)
            return Problems.BadRequest(problem);
        return TypedResults.Ok(new Page<SearchHitJson>(
            [.. results.Hits.Select(SearchHitJson.Of)], results.Next is { } n ? Paging.Encode(ListOf(q), n) : null));
    }
}
