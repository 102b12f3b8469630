using Mailroom.Core.Accounts;
using Mailroom.Core.Events;
using Mailroom.Core.Storage;
using Mailroom.Server.Api.V1;
using Mailroom.Server.Webhooks;
using Microsoft.AspNetCore.Mvc;

namespace Mailroom.Server.WebConsole.Webhooks;

/// <summary>
/// The organization's webhook subscriptions (admins only), and subscribing a URL through <c>POST /v1/webhooks</c>'s
/// own handler (its URL and event type checks); the signing secret is shown on that answer only.
/// </summary>
internal sealed class IndexModel(IWebhookStore store, ISecretProtector secrets, WebhookEgressPolicy policy) : ConsolePageModel
{
    public IReadOnlyList<WebhookView> Webhooks { get; private set; } = [];

    /// <summary>The subscription just made, with its secret: on this answer only.</summary>
    public WebhookView? Created { get; private set; }

    [BindProperty]
    public string? Address { get; set; }

    [BindProperty]
    public string? EventTypes { get; set; } = "*";

    public static IReadOnlyList<string> KnownTypes => Core.Events.EventTypes.All;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Webhooks = (await WebhookEndpoints.ListAsync(HttpContext, store)).Value!.Webhooks;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var types = (EventTypes ?? "").Split([',', ' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = (await WebhookEndpoints.CreateAsync(new CreateWebhookRequest(Address, types, null), HttpContext, store, secrets, policy)).Result;
        if (ConsoleResults.ProblemText(result) is { } problem)
            Error = "Not subscribed: " + problem;
        else
            Created = ConsoleResults.Value<WebhookView>(result);
        // The secret is written into this answer and nowhere else; no cache may keep it.
        Response.Headers.CacheControl = "no-store";
        await OnGetAsync(cancellationToken);
        return Page();
    }
}
