namespace Mailroom.Storage.Model.Configuration;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDeliveryEntity>
{
    public void Configure(EntityTypeBuilder<WebhookDeliveryEntity> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.Property(x => x.EventType).HasMaxLength(40);
        builder.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        // One delivery per event and subscription, whatever number of dispatchers run.
        builder.HasIndex(x => new { x.SubscriptionId, x.EventId }).IsUnique();
        builder.HasIndex(x => new { x.State, x.NextAttemptAt });
        builder.HasIndex(x => x.ClaimToken);
        builder.HasOne<WebhookSubscriptionEntity>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
    }
}
