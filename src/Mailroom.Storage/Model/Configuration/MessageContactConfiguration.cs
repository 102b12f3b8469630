namespace Mailroom.Storage.Model.Configuration;

internal sealed class MessageContactConfiguration : IEntityTypeConfiguration<MessageContactEntity>
{
    public void Configure(EntityTypeBuilder<MessageContactEntity> builder)
    {
        builder.ToTable("message_contacts");
        builder.HasKey(x => new { x.ContactId, x.MessageId });
        builder.Property(x => x.DedupeKey).HasMaxLength(StoredText.MaxIndexedLength);
        // The timeline: a contact's links newest first (keyset on sort time and id), and the copies of one email.
        builder.HasIndex(x => new { x.ContactId, x.SortDate, x.MessageId });
        builder.HasIndex(x => new { x.ContactId, x.DedupeKey });
        builder.HasIndex(x => x.MessageId);
        builder.HasOne<ContactEntity>().WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<MessageEntity>().WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
    }
}
