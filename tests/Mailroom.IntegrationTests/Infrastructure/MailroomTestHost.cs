using Mailroom.Core.Accounts;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;
using Mailroom.Server.Hosting;
using Mailroom.Server.Sync;
using Mailroom.Storage;
using Mailroom.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mailroom.IntegrationTests.Infrastructure;

/// <summary>Mailroom's real services over a fresh data folder and a fresh database (SQLite, or PostgreSQL).</summary>
internal sealed class MailroomTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private readonly bool _ownsDataPath;

    private MailroomTestHost(ServiceProvider services, string dataPath, string? postgres, bool ownsDataPath)
    {
        _ownsDataPath = ownsDataPath;
        _services = services;
        DataPath = dataPath;
        PostgresConnectionString = postgres;
    }

    public string DataPath { get; }

    public string? PostgresConnectionString { get; }

    public IServiceProvider Services => _services;

    public IAccountStore Accounts => _services.GetRequiredService<IAccountStore>();

    public IMessageStore Messages => _services.GetRequiredService<IMessageStore>();

    public MailboxSyncRunner Runner => _services.GetRequiredService<MailboxSyncRunner>();

    public static async Task<MailroomTestHost> StartAsync(Database database, IDictionary<string, string?>? settings = null, string? dataPath = null)
    {
        var ownsDataPath = dataPath is null;
        dataPath ??= TestArtifacts.CreateDataFolder("mailroom-it-");
        var values = new Dictionary<string, string?> { ["DataPath"] = dataPath };
        string? postgres = null;
        if (database == Database.Postgres)
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(LiveServers.RequirePostgres())
            {
                Database = "mailroom_it_" + Guid.NewGuid().ToString("N")[..12],
            };
            postgres = builder.ConnectionString;
            values["Storage:ConnectionString"] = postgres;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        // Under scripts/test.sh every entry, at every level, goes to a file the secret scan reads.
        var logFile = TestArtifacts.NewLogFile("host");
        services.AddLogging(logging =>
        {
            if (logFile is null)
                return;
            logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace);
            logging.AddProvider(new ArtifactLog(logFile));
        });
        services.AddMailroom(configuration);
        var provider = services.BuildServiceProvider();
        await DatabaseInitializer.MigrateAsync(provider, CancellationToken.None);
        return new MailroomTestHost(provider, dataPath, postgres, ownsDataPath);
    }

    /// <summary>Adds an account for a test user of the local Dovecot (STARTTLS, trusting the test CA).</summary>
    public async Task<MailboxRecord> AddDovecotAccountAsync(string user)
    {
        var settings = new MailboxSettings
        {
            Host = LiveServers.Host,
            Port = LiveServers.ImapPort,
            UserName = user,
            Security = TransportSecurity.StartTls,
            TrustedCaFile = LiveServers.CaFile,
        };
        var secret = _services.GetRequiredService<ISecretProtector>().Protect(SecretPurposes.MailboxPassword, user + "pass");
        var org = await Accounts.EnsureOrganizationAsync("default", CancellationToken.None);
        return await Accounts.AddMailboxAsync(org, user, MailboxProtocol.Imap, settings, secret, CancellationToken.None);
    }

    /// <summary>
    /// A long-running worker for <paramref name="mailbox"/> over this host's store and connector, on the system clock, as
    /// serve runs it; <paramref name="reportState"/> sees each state change (ignored when null).
    /// </summary>
    public MailboxWorker NewWorker(
        MailboxRecord mailbox, MailboxWorkerOptions options, SyncOptions? sync = null, Func<MailboxWorkerState, string?, Task>? reportState = null) =>
        new(mailbox.Id, ct => Runner.ConnectAsync(mailbox, ct), new MailboxSync(Messages, TimeProvider.System, sync ?? new SyncOptions()),
            options, TimeProvider.System, reportState ?? ((_, _) => Task.CompletedTask));

    /// <summary>
    /// Waits until the stored INBOX of <paramref name="mailboxId"/> holds at least <paramref name="expected"/> messages
    /// (a worker or a serve process is syncing it); fails the test after <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitForInboxAsync(long mailboxId, int expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var count = 0;
        while (DateTime.UtcNow < deadline)
        {
            var inbox = (await Messages.ListFoldersAsync(mailboxId, CancellationToken.None)).FirstOrDefault(f => f.Path == "INBOX");
            count = inbox is null ? 0 : (await Messages.GetMembershipsAsync(inbox.Id, CancellationToken.None)).Count;
            if (count >= expected)
                return;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.Fail($"INBOX held {count} messages after {timeout.TotalSeconds} s, expected {expected}");
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (PostgresConnectionString is not null)
            await DropPostgresDatabaseAsync(PostgresConnectionString);
        if (_ownsDataPath)
            TestArtifacts.DeleteFolder(DataPath);
    }

    internal static async Task DropPostgresDatabaseAsync(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var name = builder.Database;
        Npgsql.NpgsqlConnection.ClearAllPools();
        await TestArtifacts.DumpPostgresAsync(connectionString);
        builder.Database = "postgres";
        await using var connection = new Npgsql.NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
        try
        {
            await command.ExecuteNonQueryAsync();
        }
        catch (Npgsql.PostgresException)
        {
            // An autovacuum worker can hold the database for a moment; a leftover test database is harmless.
        }
    }
}

internal enum Database
{
    Sqlite,
    Postgres,
}
