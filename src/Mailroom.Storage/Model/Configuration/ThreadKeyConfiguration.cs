namespace Mailroom.Storage.Model.Configuration;

internal sealed class ThreadKeyConfiguration : IEntityTypeConfiguration<ThreadKeyEntity>
{
    public void Configure(EntityTypeBuilder<ThreadKeyEntity> builder)
    {
        builder.ToTable("thread_keys");
        builder.HasKey(x => new { x.MailboxId, x.Key });
        builder.Property(x => x.Key).HasMaxLength(StoredText.MaxIndexedLength);
        builder.HasIndex(x => x.ThreadId);
        builder.HasOne<ThreadEntity>().WithMany().HasForeignKey(x => x.ThreadId).OnDelete(DeleteBehavior.Cascade);
    }
}
