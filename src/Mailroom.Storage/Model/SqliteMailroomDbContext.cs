namespace Mailroom.Storage.Model;

/// <summary>The model on SQLite; migrations in Migrations/Sqlite.</summary>
internal sealed class SqliteMailroomDbContext(DbContextOptions<SqliteMailroomDbContext> options) : MailroomDbContext(options)
{
    public override StorageProvider Provider => StorageProvider.Sqlite;

    public override object ToDbTime(DateTimeOffset value) => UnixMicrosecondsConverter.ToMicroseconds(value);

    public override DateTimeOffset? ReadDbTime(System.Data.Common.DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : UnixMicrosecondsConverter.FromMicroseconds(reader.GetInt64(ordinal));

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMicrosecondsConverter>();
}
