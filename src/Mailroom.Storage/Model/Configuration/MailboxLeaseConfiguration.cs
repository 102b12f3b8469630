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
        // Makes the token a key column for PostgreSQL's row locks: a write's fence check locks the row FOR KEY SHARE,
        // which a take-over (it changes the token: FOR UPDATE) waits for, while a renewal (it changes only the expiry:
        // FOR NO KEY UPDATE) does not. Renewals then never queue behind writes, nor writes behind renewals.
        builder.HasIndex(x => new { x.MailboxId, x.Token }).IsUnique();
    }
}
