namespace Mailroom.Storage.Model.Configuration;

internal sealed class OutboxConfiguration : IEntityTypeConfiguration<OutboxEntity>
{
    public void Configure(EntityTypeBuilder<OutboxEntity> builder)
    {
        builder.ToTable("outbox");
        builder.Property(x => x.IdempotencyKey).HasMaxLength(200);
        builder.Property(x => x.MessageIdHeader).HasMaxLength(StoredText.MaxIndexedLength);
        builder.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(x => x.SentCopy).HasConversion<string>().HasMaxLength(20);
        // The database keeps a request from being queued twice, whatever the callers do.
        builder.HasIndex(x => new { x.MailboxId, x.IdempotencyKey }).IsUnique();
        // Claims look for due rows; the Sent-copy pass for sent rows with a pending copy.
        builder.HasIndex(x => new { x.State, x.NextAttemptAt });
        builder.HasIndex(x => new { x.MailboxId, x.SentCopy });
        builder.HasIndex(x => x.ClaimToken);
        builder.HasIndex(x => new { x.MailboxId, x.MessageIdHeader });
        builder.HasOne<MailboxEntity>().WithMany().HasForeignKey(x => x.MailboxId).OnDelete(DeleteBehavior.Cascade);
    }
}
