namespace Mailroom.Storage.Model;

/// <summary>The model on PostgreSQL; migrations in Migrations/Postgres.</summary>
internal sealed class PostgresMailroomDbContext(DbContextOptions<PostgresMailroomDbContext> options) : MailroomDbContext(options)
{
    public override StorageProvider Provider => StorageProvider.Postgres;

    public override object ToDbTime(DateTimeOffset value) => value.ToUniversalTime();

    public override DateTimeOffset? ReadDbTime(System.Data.Common.DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // pglz, PostgreSQL's default TOAST compression, halved the rate at which raw MIME could be written; lz4 costs
        // a fraction of its CPU and still compresses the text (PostgreSQL 14 or later, built with lz4 as the Debian,
        // Ubuntu and official container builds are).
        modelBuilder.Entity<RawMimeEntity>().Property(x => x.Data).UseCompressionMethod("lz4");
        modelBuilder.Entity<MessageEntity>().Property(x => x.TextBody).UseCompressionMethod("lz4");
        modelBuilder.Entity<MessageEntity>().Property(x => x.HtmlBody).UseCompressionMethod("lz4");
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
}
