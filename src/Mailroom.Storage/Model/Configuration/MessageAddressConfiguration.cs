namespace Mailroom.Storage.Model.Configuration;

internal sealed class MessageAddressConfiguration : IEntityTypeConfiguration<MessageAddressEntity>
{
    public void Configure(EntityTypeBuilder<MessageAddressEntity> builder)
    {
        builder.ToTable("message_addresses");
        builder.HasKey(x => new { x.MessageId, x.Position });
        builder.Property(x => x.Role).HasConversion<string>().HasMaxLength(10);
        builder.Property(x => x.Address).HasMaxLength(StoredText.MaxIndexedLength);
        builder.Property(x => x.AddressNormalized).HasMaxLength(StoredText.MaxIndexedLength);
        builder.Property(x => x.AddressKey).HasMaxLength(StoredText.MaxIndexedLength);
        builder.HasIndex(x => x.AddressNormalized);
        builder.HasIndex(x => x.AddressKey);
        builder.HasOne<MessageEntity>().WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
    }
}
