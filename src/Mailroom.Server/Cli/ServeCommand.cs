using System.CommandLine;
using Mailroom.Core.Storage;
using Mailroom.Server.Api;
using Mailroom.Server.Hosting;
using Mailroom.Server.Sync;
using Mailroom.Server.View;
using Mailroom.Storage;

namespace Mailroom.Server.Cli;

/// <summary><c>mailroom serve</c>: the long-running host. Keeps every account live (IDLE, polling) and serves /health.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on (default http://127.0.0.1:5080, or the Urls setting).",
        };
        var command = new Command("serve", "Run the Mailroom server: live sync of every account (IDLE on INBOX, polling of the other folders) and the HTTP endpoints.") { urls };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var configuration = MailroomConfiguration.Build(parseResult);
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
            builder.Configuration.AddConfiguration(configuration);
            builder.WebHost.UseUrls(parseResult.GetValue(urls) ?? configuration["Urls"] ?? "http://127.0.0.1:5080");
            builder.Services.AddMailroom(configuration);
            builder.Services.AddHostedService<MailboxSupervisor>();
            builder.Services.AddHostedService<Mailroom.Server.Sending.OutboxWorker>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<Mailroom.Server.Webhooks.WebhookWorker>());

            var app = builder.Build();
            await DatabaseInitializer.MigrateAsync(app.Services, cancellationToken);
            app.MapGet("/health", async (IAccountStore accounts, CancellationToken ct) =>
            {
                var mailboxes = await accounts.ListMailboxesAsync(ct);
                return TypedResults.Ok(new
                {
                    status = "ok",
                    mailboxes = mailboxes.Count,
                    failing = mailboxes.Count(m => m.State is MailboxStates.Error || MailboxStates.NeedsPerson(m.State)),
                });
            });

            OAuthApi.Map(app);
            app.MapMailroomView();

            await app.StartAsync(cancellationToken);
            Log.Listening(app.Logger, string.Join(", ", app.Urls), MailroomConfiguration.DataPath(configuration));
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
