namespace Mailroom.Storage.Model.Configuration;

internal sealed class ContactAddressConfiguration : IEntityTypeConfiguration<ContactAddressEntity>
{
    public void Configure(EntityTypeBuilder<ContactAddressEntity> builder)
    {
        builder.ToTable("contact_addresses");
        builder.HasKey(x => new { x.ContactId, x.AddressNormalized });
        builder.Property(x => x.AddressNormalized).HasMaxLength(StoredText.MaxIndexedLength);
        builder.Property(x => x.AddressKey).HasMaxLength(StoredText.MaxIndexedLength);
        builder.HasIndex(x => new { x.OrganizationId, x.AddressNormalized });
        builder.HasIndex(x => new { x.OrganizationId, x.AddressKey });
        builder.HasOne<ContactEntity>().WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}
