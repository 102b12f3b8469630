using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Mailroom.Storage.Model;

/// <summary>
/// Creates a short-lived context of the configured provider. The options (and with them the compiled model) are
/// built once; each unit of work gets its own context and so its own connection. Contexts come from EF Core's pool:
/// setting up a new context's services cost more CPU than the insert of a queued message it was made for. The
/// contexts hold no state of their own, and EF resets a pooled one before it is handed out again.
/// </summary>
internal sealed class MailroomContextFactory
{
    private const int PoolSize = 128;

    private readonly Func<MailroomDbContext> _create;

    public MailroomContextFactory(StorageOptions options)
    {
        options.Validate();
        Options = options;
        switch (options.Provider)
        {
            case StorageProvider.Sqlite:
                var sqlite = new PooledDbContextFactory<SqliteMailroomDbContext>(
                    ConfigureSqlite(new DbContextOptionsBuilder<SqliteMailroomDbContext>(), options.ConnectionString).Options, PoolSize);
                _create = sqlite.CreateDbContext;
                break;
            case StorageProvider.Postgres:
                var postgres = new PooledDbContextFactory<PostgresMailroomDbContext>(
                    ConfigurePostgres(new DbContextOptionsBuilder<PostgresMailroomDbContext>(), options.ConnectionString).Options, PoolSize);
                _create = postgres.CreateDbContext;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown storage provider.");
        }
    }

    public StorageOptions Options { get; }

    public MailroomDbContext Create() => _create();

    public static DbContextOptionsBuilder<T> ConfigureSqlite<T>(DbContextOptionsBuilder<T> builder, string connectionString)
        where T : DbContext =>
        builder
            .UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable("__ef_migrations_history"))
            .AddInterceptors(SqlitePragmas.Instance)
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);

    public static DbContextOptionsBuilder<T> ConfigurePostgres<T>(DbContextOptionsBuilder<T> builder, string connectionString)
        where T : DbContext =>
        builder
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
}
