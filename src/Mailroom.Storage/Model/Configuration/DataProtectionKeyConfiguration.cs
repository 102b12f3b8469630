namespace Mailroom.Storage.Model.Configuration;

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKeyEntity>
{
    /// <summary>The table and column names the server's key-ring context maps Data Protection's own entity to.</summary>
    public const string Table = "data_protection_keys";

    public void Configure(EntityTypeBuilder<DataProtectionKeyEntity> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(x => x.Id);
    }
}
