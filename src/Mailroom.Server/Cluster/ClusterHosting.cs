using System.Net;
using Mailroom.Server.Sync;
using Orleans.Configuration;

namespace Mailroom.Server.Cluster;

/// <summary>
/// Cluster mode of <c>serve</c>: this process is an Orleans silo whose membership and reminders are in the shared
/// PostgreSQL database (ADO.NET providers, tables set up by <see cref="OrleansSchema"/>); mailboxes run as grains
/// (<see cref="MailboxGrain"/>) instead of under <see cref="MailboxSupervisor"/>. The membership settings below make a
/// node killed without warning declared dead within about 10 s (docs/cluster.md, "Failures").
/// </summary>
internal static class ClusterHosting
{
    private const string Invariant = "Npgsql";

    public static void AddMailroomCluster(this WebApplicationBuilder builder, ClusterOptions cluster, string storageConnectionString)
    {
        // Orleans gets a connection pool of its own: membership must be read and written while syncs keep the main
        // pool busy, or a busy node would be declared dead.
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(storageConnectionString) { ApplicationName = "mailroom-orleans" }.ConnectionString;
        builder.Services.AddSingleton<ClusterNode>();
        builder.Services.AddSingleton<LeaseKeeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LeaseKeeper>());
        builder.Services.AddHostedService<ClusterSupervisor>();
        builder.Services.AddHostedService<ClusterAnnouncer>();
        builder.UseOrleans(silo =>
        {
            silo.Configure<Orleans.Configuration.ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ClusterId;
            });
            if (cluster.AdvertisedAddress is { Length: > 0 } address)
                silo.ConfigureEndpoints(IPAddress.Parse(address), cluster.SiloPort, cluster.GatewayPort);
            else
                silo.ConfigureEndpoints(cluster.SiloPort, cluster.GatewayPort);
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
            });
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
            });
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                // Probes every ProbeTimeout; after MissedProbesLimit misses a node votes, and two votes (or one in a
                // two-node cluster) declare the silent node dead. The table is re-read often, so that every node learns
                // of a death (and may take the dead node's leases) within a few seconds of it.
                o.ProbeTimeout = cluster.ProbeTimeout;
                o.NumMissedProbesLimit = cluster.MissedProbesLimit;
                o.NumVotesForDeathDeclaration = 2;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(30);
            });
        });
    }
}
