namespace Mailroom.Storage.Model.Configuration;

internal sealed class RawMimeConfiguration : IEntityTypeConfiguration<RawMimeEntity>
{
    public void Configure(EntityTypeBuilder<RawMimeEntity> builder)
    {
        builder.ToTable("raw_mime");
        builder.HasKey(x => x.Sha256);
        builder.Property(x => x.Sha256).HasMaxLength(64);
    }
}
