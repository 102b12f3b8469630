namespace Mailroom.Storage.Model.Configuration;

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscriptionEntity>
{
    public void Configure(EntityTypeBuilder<WebhookSubscriptionEntity> builder)
    {
        builder.ToTable("webhook_subscriptions");
        builder.Property(x => x.Url).HasMaxLength(2000);
        builder.Property(x => x.EventTypes).HasMaxLength(1000);
        builder.HasIndex(x => x.OrganizationId);
        builder.HasOne<OrganizationEntity>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
