using Mailroom.Storage.Model;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Storage;

/// <summary>Brings the database to the current schema. Run once at start-up, before any store is used.</summary>
public static class DatabaseInitializer
{
    /// <summary>Migrates the database registered by <see cref="StorageServiceCollectionExtensions.AddMailroomStorage"/>.</summary>
    public static Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        MigrateAsync(services.GetRequiredService<MailroomContextFactory>(), cancellationToken);

    /// <summary>
    /// Creates the database if needed (and, for SQLite, its folder) and applies pending migrations. Existing data is
    /// upgraded in place. On SQLite also switches the file to write-ahead logging.
    /// </summary>
    public static Task MigrateAsync(StorageOptions options, CancellationToken cancellationToken) =>
        MigrateAsync(new MailroomContextFactory(options), cancellationToken);

    internal static async Task MigrateAsync(MailroomContextFactory contexts, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        if (db.Provider == StorageProvider.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(contexts.Options.ConnectionString).DataSource;
            if (!string.IsNullOrEmpty(file) && file != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
                Directory.CreateDirectory(folder);

            // WAL lets readers (API, CLI) go on while a sync writes; it is a property of the file, kept once set.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
    }
}
