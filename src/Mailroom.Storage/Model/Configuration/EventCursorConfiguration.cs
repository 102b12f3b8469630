namespace Mailroom.Storage.Model.Configuration;

internal sealed class EventCursorConfiguration : IEntityTypeConfiguration<EventCursorEntity>
{
    public void Configure(EntityTypeBuilder<EventCursorEntity> builder)
    {
        builder.ToTable("event_cursors");
        builder.HasKey(x => x.Name);
        builder.Property(x => x.Name).HasMaxLength(40);
    }
}
