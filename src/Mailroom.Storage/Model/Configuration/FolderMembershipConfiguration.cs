namespace Mailroom.Storage.Model.Configuration;

internal sealed class FolderMembershipConfiguration : IEntityTypeConfiguration<FolderMembershipEntity>
{
    public void Configure(EntityTypeBuilder<FolderMembershipEntity> builder)
    {
        builder.ToTable("folder_memberships");
        builder.Property(x => x.RawSha256).HasMaxLength(64);
        builder.HasIndex(x => new { x.FolderId, x.Uid }).IsUnique();
        builder.Property(x => x.RemoteId).HasMaxLength(StoredText.MaxIndexedLength);
        builder.HasIndex(x => new { x.FolderId, x.RemoteId }).IsUnique();
        builder.HasIndex(x => x.MessageId);
        builder.HasIndex(x => x.RawSha256);
        builder.HasOne<FolderEntity>().WithMany().HasForeignKey(x => x.FolderId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<MessageEntity>().WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<RawMimeEntity>().WithMany().HasForeignKey(x => x.RawSha256).OnDelete(DeleteBehavior.Restrict);
    }
}
