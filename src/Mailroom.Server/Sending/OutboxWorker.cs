using Mailroom.Core.Sending;

namespace Mailroom.Server.Sending;

/// <summary>Runs the outbox inside <c>serve</c>. Any number of processes may run it over one database.</summary>
internal sealed class OutboxWorker(OutboxSender sender, ILogger<OutboxWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        sender.RunAsync(
            pass => Log.OutboxPass(logger, pass.Sent, pass.Retrying, pass.Failed, pass.CopiesFiled, pass.CopyErrors),
            ex => Log.OutboxFailed(logger, ex),
            stoppingToken);
}
