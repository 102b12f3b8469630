using Microsoft.Data.Sqlite;
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

            // Large pages suit a database that is mostly raw MIME (~60 KB a message): a message is a few pages
            // instead of a chain of fifteen, which roughly halves the CPU cost of writing and checkpointing it. Only a
            // new file takes the page size; an existing one keeps its own.
            // WAL lets readers (API, CLI) go on while a sync writes; it is a property of the file, kept once set.
            await db.Database.ExecuteSqlRawAsync("PRAGMA page_size = 32768; PRAGMA journal_mode = WAL;", cancellationToken);
        }

        // Every command starts here. When every migration is applied (a history query), EF's Migrate is skipped: it
        // would take its migration lock (a write and a sync on SQLite) and compare the model with the snapshot, most of
        // a no-change re-sync's start-up.
        if (!(await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
            return;
        await db.Database.MigrateAsync(cancellationToken);
    }
}
