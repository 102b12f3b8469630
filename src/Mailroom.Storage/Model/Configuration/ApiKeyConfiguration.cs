namespace Mailroom.Storage.Model.Configuration;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKeyEntity>
{
    public void Configure(EntityTypeBuilder<ApiKeyEntity> builder)
    {
        builder.ToTable("api_keys");
        builder.Property(x => x.Name).HasMaxLength(200);
        builder.Property(x => x.Prefix).HasMaxLength(20);
        builder.Property(x => x.Hash).HasMaxLength(64);
        // Authentication finds a key by its hash: unique, so a key names exactly one organization.
        builder.HasIndex(x => x.Hash).IsUnique();
        builder.HasIndex(x => x.OrganizationId);
        builder.HasOne<OrganizationEntity>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
