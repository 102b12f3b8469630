namespace Mailroom.Storage.Model.Configuration;

internal sealed class EventConfiguration : IEntityTypeConfiguration<EventEntity>
{
    public void Configure(EntityTypeBuilder<EventEntity> builder)
    {
        builder.ToTable("events");
        builder.Property(x => x.Type).HasMaxLength(40);
        // The changes feed reads one organization's events after a cursor; no foreign keys, since events outlive their subjects.
        builder.HasIndex(x => new { x.OrganizationId, x.Id });
    }
}
