namespace Mailroom.Storage.Model.Configuration;

internal sealed class ThreadConfiguration : IEntityTypeConfiguration<ThreadEntity>
{
    public void Configure(EntityTypeBuilder<ThreadEntity> builder)
    {
        builder.ToTable("threads");
        builder.Property(x => x.Subject).HasMaxLength(StoredText.MaxIndexedLength);
        builder.HasIndex(x => new { x.MailboxId, x.LastDate });
        builder.HasOne<MailboxEntity>().WithMany().HasForeignKey(x => x.MailboxId).OnDelete(DeleteBehavior.Cascade);
    }
}
