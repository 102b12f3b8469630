namespace Mailroom.Storage.Model.Configuration;

internal sealed class ClusterSecretConfiguration : IEntityTypeConfiguration<ClusterSecretEntity>
{
    public void Configure(EntityTypeBuilder<ClusterSecretEntity> builder)
    {
        builder.ToTable("cluster_secrets");
        builder.HasKey(x => x.Name);
        builder.Property(x => x.Name).HasMaxLength(60);
    }
}
