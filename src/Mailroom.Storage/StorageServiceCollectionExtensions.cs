using Mailroom.Core.Events;
using Mailroom.Core.Threading;
using Mailroom.Storage.Ingest;
using Mailroom.Storage.Queries;
using Mailroom.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mailroom.Storage;

/// <summary>Registers Mailroom's storage.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IMessageStore"/>, <see cref="IPop3Store"/>, <see cref="IGmailLabelStore"/>, <see cref="IGmailApiStore"/>, <see cref="IGraphStore"/>, <see cref="IEwsStore"/>, <see cref="IAccountStore"/>, <see cref="IContactStore"/>, <see cref="ISkippedMessageStore"/>, <see cref="IRawMessageSource"/>, <see cref="IOutboxStore"/>, <see cref="IEventStore"/>, <see cref="IWebhookStore"/> and <see cref="StoreInspector"/> (singletons; each
    /// call uses its own short-lived context) over the database in <paramref name="options"/>. Uses a registered
    /// <see cref="TimeProvider"/>, or the system clock. Call <see cref="DatabaseInitializer.MigrateAsync(IServiceProvider, CancellationToken)"/>
    /// at start-up.
    /// </summary>
    /// <exception cref="InvalidOperationException">The options are incomplete.</exception>
    public static IServiceCollection AddMailroomStorage(this IServiceCollection services, StorageOptions options)
    {
        var contexts = new MailroomContextFactory(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(contexts);
        services.TryAddSingleton(new ThreadingOptions());
        services.TryAddSingleton<EventSignal>();
        services.AddSingleton(sp => new EfMessageStore(
            contexts, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ThreadingOptions>(), sp.GetRequiredService<EventSignal>()));
        services.AddSingleton<IMessageStore>(sp => sp.GetRequiredService<EfMessageStore>());
        services.AddSingleton<IPop3Store>(sp => sp.GetRequiredService<EfMessageStore>());
        services.AddSingleton<IGmailLabelStore>(sp => sp.GetRequiredService<EfMessageStore>());
        services.AddSingleton<IGmailApiStore>(sp => sp.GetRequiredService<EfMessageStore>());
        services.AddSingleton<IGraphStore>(sp => sp.GetRequiredService<EfMessageStore>());
        services.AddSingleton<IEwsStore>(sp => sp.GetRequiredService<EfMessageStore>());
        services.AddSingleton<IArchiveStore>(sp => sp.GetRequiredService<EfMessageStore>());
        services.AddSingleton<ISkippedMessageStore>(sp => sp.GetRequiredService<EfMessageStore>());
        services.AddSingleton<IContactStore>(sp => new EfContactStore(contexts, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<EventSignal>()));
        services.AddSingleton<IAccountStore>(sp => new EfAccountStore(contexts, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<EventSignal>()));
        services.AddSingleton(_ => new StoreInspector(contexts));
        services.AddSingleton<IRawMessageSource>(_ => new EfRawMessageSource(contexts));
        services.AddSingleton(_ => new MessageLookup(contexts));
        services.AddSingleton(sp => new ApiKeyStore(contexts, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new UserStore(contexts, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(_ => new OrganizationQueries(contexts));
        services.AddSingleton(_ => new SearchIndexBackfill(contexts));
        services.AddSingleton<IOutboxStore>(sp => new EfOutboxStore(contexts, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<EventSignal>()));
        services.AddSingleton<IEventStore>(_ => new EfEventStore(contexts));
        services.AddSingleton<IWebhookStore>(sp => new EfWebhookStore(contexts, sp.GetRequiredService<TimeProvider>()));
        if (options.Provider == StorageProvider.Postgres)
        {
            // Own connection pool: renewals must go through while the workers' writes have the main pool busy.
            services.AddSingleton(_ => new Cluster.MailboxLeaseStore(new MailroomContextFactory(
                StorageOptions.ForPostgres(new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString) { ApplicationName = "mailroom-leases" }.ConnectionString))));
            services.AddSingleton(_ => new Cluster.ClusterSecretStore(contexts));
        }
        return services;
    }
}
