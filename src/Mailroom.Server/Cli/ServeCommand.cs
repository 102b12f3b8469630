using System.CommandLine;
using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;
using Mailroom.Server.Hosting;
using Mailroom.Server.Sync;
using Mailroom.Storage;

namespace Mailroom.Server.Cli;

/// <summary><c>mailroom serve</c>: the long-running host. Keeps every account live (IDLE, polling) and serves /health, /v1 and the view.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on (default http://127.0.0.1:5080, or the Urls setting).",
        };
        var logRequests = new Option<bool>("--log-requests")
        {
            Description = "Log one line per HTTP request (method, path, status, duration); the LogRequests setting.",
        };
        var command = new Command("serve", "Run the Mailroom server: live sync of every account (IDLE on INBOX, polling of the other folders) and the HTTP endpoints.") { urls, logRequests };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var configuration = MailroomConfiguration.Build(parseResult);
            if (parseResult.GetValue(logRequests))
                configuration[ServeLogging.LogRequestsKey] = "true";
            var app = MailroomWebApp.Build(configuration,
                builder => builder.WebHost.UseUrls(parseResult.GetValue(urls) ?? configuration["Urls"] ?? "http://127.0.0.1:5080"));
            await DatabaseInitializer.MigrateAsync(app.Services, cancellationToken);
            if (app.Services.GetRequiredService<Cluster.ClusterOptions>().Enabled)
                await Cluster.OrleansSchema.EnsureAsync(configuration["Storage:ConnectionString"]!, cancellationToken);

            app.Lifetime.ApplicationStopping.Register(() => Log.Stopping(app.Logger));
            await app.StartAsync(cancellationToken);
            var mailboxes = await app.Services.GetRequiredService<IAccountStore>().ListMailboxesAsync(cancellationToken);
            Log.Started(app.Logger, mailboxes.Count, mailboxes.Count(m => m.State.IsFailing()));
            Log.Listening(app.Logger, string.Join(", ", app.Urls), MailroomConfiguration.DataPath(configuration));
            var console = app.Urls.FirstOrDefault() is { } first ? first.TrimEnd('/') + "/" : "/";
            if ((await app.Services.GetRequiredService<Mailroom.Storage.Stores.UserStore>().ListAsync(null, cancellationToken)).Count == 0)
                Log.NoConsoleUsers(app.Logger, console);
            else
                Log.ConsoleAt(app.Logger, console);
            await app.WaitForShutdownAsync(cancellationToken);
            Log.Stopped(app.Logger);
            return ExitCodes.Ok;
        });
        return command;
    }
}
