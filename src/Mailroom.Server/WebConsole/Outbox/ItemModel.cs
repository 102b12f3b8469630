using Mailroom.Core.Sending;
using Mailroom.Server.Api.V1;
using Mailroom.Storage.Queries;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.WebConsole.Outbox;

/// <summary>One queued message (<c>GET /v1/outbox/{id}</c>'s handler): its state, attempts, the server's last reply and the Sent copy.</summary>
internal sealed class ItemModel(OrganizationQueries queries) : PageModel
{
    public OutboxItem Item { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (ConsoleResults.Value<OutboxItem>((await SendApi.GetAsync(id, User, queries, cancellationToken)).Result) is not { } item)
            return NotFound();
        Item = item;
        return Page();
    }
}
