namespace Mailroom.Storage.Model.Configuration;

internal sealed class SkippedMembershipConfiguration : IEntityTypeConfiguration<SkippedMembershipEntity>
{
    public void Configure(EntityTypeBuilder<SkippedMembershipEntity> builder)
    {
        builder.ToTable("skipped_memberships");
        builder.HasIndex(x => new { x.FolderId, x.Uid }).IsUnique();
        builder.HasOne<FolderEntity>().WithMany().HasForeignKey(x => x.FolderId).OnDelete(DeleteBehavior.Cascade);
    }
}
