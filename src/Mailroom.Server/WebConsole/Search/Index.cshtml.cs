using Mailroom.Server.Api.V1;
using Mailroom.Storage.Queries;
using Microsoft.AspNetCore.Mvc;

namespace Mailroom.Server.WebConsole.Search;

/// <summary>
/// Full-text search over the organization's mail through <c>GET /v1/search</c>'s own handler (the same query syntax,
/// organization scoping, keyset pages and highlighting; a query it cannot read is shown with its reason). The box in
/// every page's header leads here.
/// </summary>
internal sealed class IndexModel(OrganizationQueries queries) : ConsolePageModel
{
    public const int PageSize = 25;

    public IReadOnlyList<SearchHitJson> Hits { get; private set; } = [];
    public string? NextCursor { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public async Task<IActionResult> OnGetAsync(string? cursor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Q))
            return Page();
        var result = (await SearchApi.SearchAsync(User, queries, cancellationToken, Q, cursor, PageSize)).Result;
        if (ConsoleResults.Value<Page<SearchHitJson>>(result) is { } page)
            (Hits, NextCursor) = (page.Items, page.NextCursor);
        else
            Error = "This search cannot be run: " + ConsoleResults.ProblemText(result);
        return Page();
    }
}
