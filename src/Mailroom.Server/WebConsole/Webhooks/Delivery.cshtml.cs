using Mailroom.Core.Events;
using Mailroom.Core.Storage;
using Mailroom.Server.Api.V1;
using Microsoft.AspNetCore.Mvc;

namespace Mailroom.Server.WebConsole.Webhooks;

/// <summary>
/// One delivery with every attempt (admins only), and redelivering it (<c>POST /v1/webhooks/deliveries/{id}/redeliver</c>'s
/// handler: due again now, the worker woken). Another organization's delivery is 404.
/// </summary>
internal sealed class DeliveryModel(IWebhookStore store, TimeProvider time, EventSignal signal) : ConsolePageModel
{
    public DeliveryView Delivery { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (ConsoleResults.Value<DeliveryView>((await WebhookEndpoints.GetDeliveryAsync(id, HttpContext, store)).Result) is not { } delivery)
            return NotFound();
        Delivery = delivery;
        return Page();
    }

    public async Task<IActionResult> OnPostRedeliverAsync(long id, CancellationToken cancellationToken)
    {
        if (ConsoleResults.ProblemStatus((await WebhookEndpoints.RedeliverAsync(id, HttpContext, store, time, signal)).Result) is not null)
            return NotFound();
        Notice = "Queued to be delivered again now.";
        return LocalRedirect($"/webhooks/deliveries/{id}");
    }
}
