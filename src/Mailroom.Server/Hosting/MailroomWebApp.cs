using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;
using Mailroom.Server.Api;
using Mailroom.Server.Api.V1;
using Mailroom.Server.Sending;
using Mailroom.Server.Sync;
using Mailroom.Server.View;
using Mailroom.Server.WebConsole;

namespace Mailroom.Server.Hosting;

/// <summary>
/// The HTTP side of <c>mailroom serve</c>: services, hosted workers and endpoints (/health, /oauth, /view, /v1,
/// /openapi, /docs). The API tests build exactly this app over a TestServer.
/// </summary>
internal static class MailroomWebApp
{
    public static WebApplication Build(IConfiguration configuration, Action<WebApplicationBuilder>? configure = null)
    {
        // The application is this assembly whoever hosts it (serve, or a test's TestServer): its Razor Pages (the
        // console) are found in the application's assembly. For serve it is the entry assembly anyway.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ApplicationName = typeof(MailroomWebApp).Assembly.GetName().Name });
        ServeLogging.AddDefaults(builder.Configuration, configuration);
        builder.Configuration.AddConfiguration(configuration);
        builder.Services.AddMailroom(configuration);
        builder.Services.AddMailroomApi();
        builder.Services.AddMailroomConsole(configuration);
        // The workers report each sync's progress here; the console shows it (the /v1 API does not).
        builder.Services.AddSingleton<SyncProgressBoard>();
        builder.Services.AddHostedService<MailboxSupervisor>();
        if (configuration.GetSection("Gmail").Get<Connectors.GmailApi.GmailOptions>() is { PushEnabled: true })
        {
            // Only with a Pub/Sub subscription to pull: without one, Gmail API mailboxes poll and nothing else runs.
            builder.Services.AddSingleton<Connectors.GmailApi.GmailPushSubscriber>();
            builder.Services.AddHostedService<GmailPushService>();
        }
        builder.Services.AddHostedService<OutboxWorker>();
        builder.Services.AddHostedService<Search.SearchBackfillWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Webhooks.WebhookWorker>());
        configure?.Invoke(builder);

        var app = builder.Build();
        if (ServeLogging.LogRequests(configuration))
            app.UseMiddleware<RequestLogMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseConsoleHeaders();
        app.MapGet("/health", async (IAccountStore accounts, CancellationToken ct) =>
        {
            var mailboxes = await accounts.ListMailboxesAsync(ct);
            return TypedResults.Ok(new
            {
                status = "ok",
                mailboxes = mailboxes.Count,
                failing = mailboxes.Count(m => m.State.IsFailing()),
            });
        });
        OAuthApi.Map(app);
        if (configuration.GetSection("Graph").Get<Connectors.Graph.GraphOptions>() is { NotificationUrl: not null })
            GraphNotificationsApi.Map(app); // Graph mailboxes poll without it
        app.MapMailroomView();
        app.MapV1();
        app.MapV1Documentation();
        app.MapMailroomConsole();
        return app;
    }
}
