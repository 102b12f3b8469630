namespace Mailroom.Storage.Model.Configuration;

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttemptEntity>
{
    public void Configure(EntityTypeBuilder<WebhookAttemptEntity> builder)
    {
        builder.ToTable("webhook_attempts");
        builder.HasIndex(x => new { x.DeliveryId, x.Attempt });
        builder.HasOne<WebhookDeliveryEntity>().WithMany().HasForeignKey(x => x.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}
