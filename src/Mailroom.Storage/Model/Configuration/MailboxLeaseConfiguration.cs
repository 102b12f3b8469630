namespace Mailroom.Storage.Model.Configuration;

internal sealed class MailboxLeaseConfiguration : IEntityTypeConfiguration<MailboxLeaseEntity>
{
    public void Configure(EntityTypeBuilder<MailboxLeaseEntity> builder)
    {
        builder.ToTable("mailbox_leases");
        builder.HasKey(x => x.MailboxId);
        // No foreign key: a removed mailbox's lease row is harmless, and the lease must never block the removal.
        builder.Property(x => x.MailboxId).ValueGeneratedNever();
        builder.Property(x => x.Owner).HasMaxLength(200);
        builder.HasIndex(x => x.Owner);
    }
}
