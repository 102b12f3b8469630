namespace Mailroom.Storage.Model.Configuration;

internal sealed class MessageConfiguration : IEntityTypeConfiguration<MessageEntity>
{
    public void Configure(EntityTypeBuilder<MessageEntity> builder)
    {
        builder.ToTable("messages");
        builder.Property(x => x.IdentityKey).HasMaxLength(StoredText.MaxIndexedLength);
        builder.Property(x => x.RawSha256).HasMaxLength(64);
        builder.Property(x => x.MessageIdHeader).HasMaxLength(StoredText.MaxIndexedLength);
        builder.HasIndex(x => new { x.MailboxId, x.IdentityKey }).IsUnique();
        builder.HasIndex(x => new { x.MailboxId, x.Date });
        // Threading and the Sent-copy check look messages up by Message-ID.
        builder.HasIndex(x => new { x.MailboxId, x.MessageIdHeader });
        builder.Property(x => x.ProviderThreadId).HasMaxLength(64);
        builder.HasIndex(x => new { x.MailboxId, x.ProviderThreadId });
        builder.HasIndex(x => x.RawSha256);
        builder.Property(x => x.ThreadReason).HasMaxLength(20);
        builder.Property(x => x.ThreadSubject).HasMaxLength(StoredText.MaxIndexedLength);
        builder.HasIndex(x => x.ThreadId);
        // The subject rule looks up stored messages by subject key within a date window.
        builder.HasIndex(x => new { x.MailboxId, x.ThreadSubject, x.Date });
        builder.HasOne<MailboxEntity>().WithMany().HasForeignKey(x => x.MailboxId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<RawMimeEntity>().WithMany().HasForeignKey(x => x.RawSha256).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ThreadEntity>().WithMany().HasForeignKey(x => x.ThreadId).OnDelete(DeleteBehavior.SetNull);
    }
}
