using Mailroom.Connectors.Auth;
using Mailroom.Connectors.Discovery;
using Mailroom.Connectors.Imap;
using Mailroom.Connectors.Pop3;
using Mailroom.Connectors.Smtp;
using Mailroom.Core.Connectors;
using Mailroom.Core.Sending;
using Mailroom.Core.Accounts;
using Mailroom.Core.Sync;
using Mailroom.Core.Sync.Pop3;
using Mailroom.Core.Threading;
using Mailroom.Core.Html;
using Mailroom.Server.Accounts;
using Mailroom.Server.Secrets;
using Mailroom.Server.Sync;
using Mailroom.Server.View;
using Mailroom.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mailroom.Server.Hosting;

/// <summary>The services every command and the server share, bound and validated from configuration.</summary>
internal static class MailroomServices
{
    public static IServiceCollection AddMailroom(this IServiceCollection services, IConfiguration configuration)
    {
        var dataPath = MailroomConfiguration.DataPath(configuration);
        Directory.CreateDirectory(dataPath);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Bind<ThreadingOptions>(configuration, "Threading"));
        var storage = StorageConfiguration.Resolve(configuration, dataPath);
        services.AddMailroomStorage(storage);
        var cluster = Bind<Cluster.ClusterOptions>(configuration, "Cluster");
        cluster.Validate(storage.Provider);
        services.AddSingleton(cluster);
        // Every command of a cluster (serve on each node, and the CLI next to it) uses the one shared key ring.
        if (cluster.Enabled)
            services.AddMailroomClusterDataProtection(storage.ConnectionString, Bind<SecretsOptions>(configuration, "Secrets"));
        else
            services.AddMailroomDataProtection(dataPath, Bind<SecretsOptions>(configuration, "Secrets"));
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();

        services.AddSingleton(Bind<ImapConnectorOptions>(configuration, "Imap"));
        services.AddSingleton<ImapConnector>();
        services.AddSingleton(Bind<Pop3ConnectorOptions>(configuration, "Pop3"));
        services.AddSingleton<Pop3Connector>();
        services.AddSingleton(Bind<Mailroom.Connectors.GmailApi.GmailOptions>(configuration, "Gmail").Validate());
        services.AddSingleton<Mailroom.Connectors.GmailApi.GmailApiConnector>();
        services.AddSingleton<Mailroom.Connectors.GmailApi.GmailPushSignals>();
        services.AddSingleton<Mailroom.Core.Sync.GmailApi.GmailApiSync>();
        services.AddSingleton(Bind<Mailroom.Connectors.Graph.GraphOptions>(configuration, "Graph").Validate());
        services.AddSingleton<Mailroom.Connectors.Graph.GraphConnector>();
        services.AddSingleton<Mailroom.Core.Sync.Graph.GraphSync>();
        services.AddSingleton(Bind<Mailroom.Connectors.Ews.EwsOptions>(configuration, "Ews").Validate());
        services.AddSingleton<Mailroom.Connectors.Ews.EwsConnector>();
        services.AddSingleton<Mailroom.Connectors.Ews.EwsAutodiscover>();
        services.AddSingleton<Mailroom.Core.Sync.Ews.EwsSync>();
        services.AddSingleton<Mailroom.Core.Sync.Graph.GraphNotifications>();
        services.AddMailroomDiscovery(configuration);
        services.AddSingleton(Validate(Bind<SyncOptions>(configuration, "Sync")));
        services.AddSingleton(Bind<MailboxWorkerOptions>(configuration, "Worker"));
        services.AddSingleton<MailboxSync>();
        services.AddSingleton<Pop3Sync>();
        services.AddSingleton<MailboxSyncRunner>();
        services.AddSingleton<ScopeBackfill>();
        services.AddSingleton<Mailroom.Core.Import.ArchiveImport>();
        services.AddSingleton<ScopeBackfillRunner>();

        services.AddSingleton(Validate(Bind<OAuthOptions>(configuration, "OAuth")));
        services.AddSingleton(sp => new OAuthClient(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }),
            sp.GetRequiredService<OAuthOptions>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<OAuthClient>>()));
        services.AddSingleton<MailboxCredentials>();
        services.AddSingleton<MailboxOnboarding>();
        services.AddSingleton<MailboxRemoval>();
        services.AddSingleton<ICredentialSource>(sp => sp.GetRequiredService<MailboxCredentials>());
        services.AddSingleton<AuthorizationCodeFlow>();

        services.AddSingleton<EmailHtmlSanitizer>();
        services.AddSingleton<MessageViewRenderer>();
        if (cluster.Enabled)
        {
            // DI factories are synchronous; this runs once, at the first request that needs the key.
            services.AddSingleton(sp => ViewUrlSigner.ForClusterAsync(
                sp.GetRequiredService<Mailroom.Storage.Cluster.ClusterSecretStore>(),
                sp.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(), CancellationToken.None).GetAwaiter().GetResult());
        }
        else
        {
            services.AddSingleton(_ => ViewUrlSigner.ForDataFolder(dataPath));
        }
        services.AddSingleton(Bind<ImageProxyOptions>(configuration, "ImageProxy"));
        services.AddSingleton(Bind<ViewOptions>(configuration, "View"));
        services.AddSingleton<IEgressPolicy, PublicInternetPolicy>();
        services.AddSingleton<IHostResolver, SystemHostResolver>();
        services.AddSingleton<ImageProxy>();
        services.AddMailroomSending(configuration);
        services.AddMailroomEvents(configuration);
        services.AddSingleton(Bind<WebConsole.ConsoleOptions>(configuration, "Console").Validate());
        services.AddSingleton<WebConsole.ConsoleAccounts>();
        return services;
    }

    private static void AddMailroomEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(Bind<Api.V1.ChangesOptions>(configuration, "Changes").Validate());
        services.AddSingleton(Bind<Webhooks.WebhookOptions>(configuration, "Webhooks").Validate());
        services.AddSingleton<Webhooks.WebhookEgressPolicy>();
        services.AddSingleton<Webhooks.WebhookSender>();
        services.AddSingleton<Webhooks.WebhookWorker>();
    }

    /// <summary>Discovery alone needs no storage: <c>mailroom discover</c> uses just this.</summary>
    public static IServiceCollection AddMailroomDiscovery(this IServiceCollection services, IConfiguration configuration)
    {
        var options = Bind<DiscoveryOptions>(configuration, "Discovery");
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton<MailDiscovery>();
        return services;
    }

    private static void AddMailroomSending(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(Bind<SmtpConnectorOptions>(configuration, "Smtp"));
        services.AddSingleton<SmtpConnector>();
        services.AddSingleton<ISmtpConnector>(sp => sp.GetRequiredService<SmtpConnector>());
        services.AddSingleton<ISentFolderConnector, ImapSentFolderConnector>();
        services.AddSingleton(Bind<OutboxOptions>(configuration, "Outbox").Validate());
        services.AddSingleton<IHtmlPolicy>(sp => sp.GetRequiredService<EmailHtmlSanitizer>());
        services.AddSingleton<MessageComposer>();
        services.AddSingleton<SentCopyFiler>();
        services.AddSingleton<IMessageSubmitter, SmtpSubmitter>();
        services.AddSingleton<IMessageSubmitter, Mailroom.Connectors.GmailApi.GmailApiSubmitter>();
        services.AddSingleton<IMessageSubmitter, Mailroom.Connectors.Graph.GraphSubmitter>();
        services.AddSingleton<IMessageSubmitter, Mailroom.Connectors.Ews.EwsSubmitter>();
        services.AddSingleton<OutboxSender>();
    }

    private static T Bind<T>(IConfiguration configuration, string section) where T : new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }

    private static OAuthOptions Validate(OAuthOptions options)
    {
        options.Providers = new Dictionary<string, OAuthProviderOptions>(options.Providers, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, provider) in options.Providers)
        {
            if (string.IsNullOrEmpty(provider.ClientId))
                throw new InvalidOperationException($"OAuth:Providers:{name}:ClientId is required.");
            var builtIn = name.Equals("google", StringComparison.OrdinalIgnoreCase) || name.Equals("microsoft", StringComparison.OrdinalIgnoreCase);
            if (!builtIn && string.IsNullOrEmpty(provider.Authority) && string.IsNullOrEmpty(provider.TokenEndpoint))
                throw new InvalidOperationException($"OAuth:Providers:{name} needs an Authority (its discovery document) or a TokenEndpoint.");
        }
        if (options.RefreshBefore < TimeSpan.Zero || options.HttpTimeout <= TimeSpan.Zero || options.AuthorizationLifetime <= TimeSpan.Zero)
            throw new InvalidOperationException("OAuth:RefreshBefore must not be negative; OAuth:HttpTimeout and OAuth:AuthorizationLifetime must be positive.");
        return options;
    }

    private static SyncOptions Validate(SyncOptions options)
    {
        if (options.BatchSize is < 1 or > 5000)
            throw new InvalidOperationException($"Sync:BatchSize must be between 1 and 5000 (was {options.BatchSize}).");
        if (options.BatchBytes is < SyncOptions.MinBatchBytes or > SyncOptions.MaxBatchBytes)
            throw new InvalidOperationException($"Sync:BatchBytes must be between {SyncOptions.MinBatchBytes} and {SyncOptions.MaxBatchBytes} (was {options.BatchBytes}).");
        if (options.PipelineBytes < 1024 * 1024)
            throw new InvalidOperationException($"Sync:PipelineBytes must be at least 1048576 (was {options.PipelineBytes}).");
        if (options.ParseConcurrency is < 1 or > 64)
            throw new InvalidOperationException($"Sync:ParseConcurrency must be between 1 and 64 (was {options.ParseConcurrency}).");
        return options;
    }
}
