namespace Mailroom.Storage.Model.Configuration;

internal sealed class ContactConfiguration : IEntityTypeConfiguration<ContactEntity>
{
    public void Configure(EntityTypeBuilder<ContactEntity> builder)
    {
        builder.ToTable("contacts");
        builder.Property(x => x.ExternalId).HasMaxLength(200);
        builder.Property(x => x.Name).HasMaxLength(200);
        builder.HasIndex(x => new { x.OrganizationId, x.ExternalId }).IsUnique();
        builder.HasOne<OrganizationEntity>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
