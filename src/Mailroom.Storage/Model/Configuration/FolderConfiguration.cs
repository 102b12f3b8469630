namespace Mailroom.Storage.Model.Configuration;

internal sealed class FolderConfiguration : IEntityTypeConfiguration<FolderEntity>
{
    public void Configure(EntityTypeBuilder<FolderEntity> builder)
    {
        builder.ToTable("folders");
        builder.Property(x => x.Role).HasConversion<string>().HasMaxLength(20);
        builder.Property(x => x.GmailLabel).HasMaxLength(StoredText.MaxIndexedLength);
        builder.Property(x => x.RemoteId).HasMaxLength(StoredText.MaxIndexedLength);
        builder.HasIndex(x => new { x.MailboxId, x.Path }).IsUnique();
        builder.HasIndex(x => new { x.MailboxId, x.RemoteId }).IsUnique();
        builder.HasOne<MailboxEntity>().WithMany().HasForeignKey(x => x.MailboxId).OnDelete(DeleteBehavior.Cascade);
    }
}
