namespace Mailroom.Server.Cluster;

/// <summary>Says once, when the silo has joined, which node this is.</summary>
internal sealed class ClusterAnnouncer(ClusterNode node, ClusterOptions options, IHostApplicationLifetime lifetime, ILogger<ClusterAnnouncer> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => Log.ClusterJoined(logger, node.Owner, options.ClusterId));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
