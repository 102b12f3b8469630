using Mailroom.Core.Storage;
using Mailroom.Server.Api.V1;
using Microsoft.AspNetCore.Mvc;

namespace Mailroom.Server.WebConsole.Webhooks;

/// <summary>
/// One subscription (admins only): its deliveries newest first, paged by the API's cursor, and removing it. Another
/// organization's subscription is 404.
/// </summary>
internal sealed class SubscriptionModel(IWebhookStore store) : ConsolePageModel
{
    public WebhookView Webhook { get; private set; } = null!;
    public IReadOnlyList<DeliveryView> Deliveries { get; private set; } = [];
    public string? NextCursor { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, string? cursor, CancellationToken cancellationToken)
    {
        if (ConsoleResults.Value<WebhookView>((await WebhookEndpoints.GetAsync(id, HttpContext, store)).Result) is not { } webhook)
            return NotFound();
        Webhook = webhook;
        var result = (await WebhookEndpoints.ListDeliveriesAsync(id, HttpContext, store, cursor, 25)).Result;
        if (ConsoleResults.Value<DeliveryPage>(result) is { } page)
            (Deliveries, NextCursor) = (page.Deliveries, page.NextCursor);
        else
            Error = ConsoleResults.ProblemText(result);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(long id, CancellationToken cancellationToken)
    {
        if (ConsoleResults.Value<WebhookView>((await WebhookEndpoints.GetAsync(id, HttpContext, store)).Result) is not { } webhook
            || ConsoleResults.ProblemStatus((await WebhookEndpoints.DeleteAsync(id, HttpContext, store)).Result) is not null)
            return NotFound();
        Notice = $"Removed the webhook to {webhook.Url} and its delivery log.";
        return LocalRedirect("/webhooks");
    }
}
