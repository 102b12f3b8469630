using Microsoft.EntityFrameworkCore;

namespace Mailroom.Storage.Model;

/// <summary>The model on PostgreSQL; migrations in Migrations/Postgres.</summary>
internal sealed class PostgresMailroomDbContext(DbContextOptions<PostgresMailroomDbContext> options) : MailroomDbContext(options)
{
    public override StorageProvider Provider => StorageProvider.Postgres;

    public override object ToDbTime(DateTimeOffset value) => value.ToUniversalTime();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
}
