using Microsoft.EntityFrameworkCore;

namespace Mailroom.Storage.Model;

/// <summary>
/// Creates a short-lived context of the configured provider. The options (and with them the compiled model) are
/// built once; each unit of work gets its own context and so its own connection.
/// </summary>
internal sealed class MailroomContextFactory
{
    private readonly Func<MailroomDbContext> _create;

    public MailroomContextFactory(StorageOptions options)
    {
        options.Validate();
        Options = options;
        switch (options.Provider)
        {
            case StorageProvider.Sqlite:
                var sqlite = ConfigureSqlite(new DbContextOptionsBuilder<SqliteMailroomDbContext>(), options.ConnectionString).Options;
                _create = () => new SqliteMailroomDbContext(sqlite);
                break;
            case StorageProvider.Postgres:
                var postgres = ConfigurePostgres(new DbContextOptionsBuilder<PostgresMailroomDbContext>(), options.ConnectionString).Options;
                _create = () => new PostgresMailroomDbContext(postgres);
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
