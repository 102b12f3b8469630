using Mailroom.Storage.Model.Configuration;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Mailroom.Storage.Model;

/// <summary>
/// The model, shared by both providers. Each provider has a thin subclass with its own migrations folder
/// (EF Core's "migrations with multiple providers" pattern), so the SQL each migration holds is the provider's own.
/// </summary>
internal abstract class MailroomDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<OrganizationEntity> Organizations => Set<OrganizationEntity>();
    public DbSet<MailboxEntity> Mailboxes => Set<MailboxEntity>();
    public DbSet<FolderEntity> Folders => Set<FolderEntity>();
    public DbSet<MessageEntity> Messages => Set<MessageEntity>();
    public DbSet<FolderMembershipEntity> Memberships => Set<FolderMembershipEntity>();
    public DbSet<MessageAddressEntity> Addresses => Set<MessageAddressEntity>();
    public DbSet<AttachmentEntity> Attachments => Set<AttachmentEntity>();
    public DbSet<RawMimeEntity> RawMime => Set<RawMimeEntity>();
    public DbSet<ThreadEntity> Threads => Set<ThreadEntity>();
    public DbSet<ThreadKeyEntity> ThreadKeys => Set<ThreadKeyEntity>();
    public DbSet<ContactEntity> Contacts => Set<ContactEntity>();
    public DbSet<ContactAddressEntity> ContactAddresses => Set<ContactAddressEntity>();
    public DbSet<MessageContactEntity> MessageContacts => Set<MessageContactEntity>();
    public DbSet<SkippedMembershipEntity> SkippedMemberships => Set<SkippedMembershipEntity>();
    public DbSet<OutboxEntity> Outbox => Set<OutboxEntity>();
    public DbSet<ApiKeyEntity> ApiKeys => Set<ApiKeyEntity>();
    public DbSet<UserEntity> Users => Set<UserEntity>();
    public DbSet<EventEntity> Events => Set<EventEntity>();
    public DbSet<EventCursorEntity> EventCursors => Set<EventCursorEntity>();
    public DbSet<WebhookSubscriptionEntity> WebhookSubscriptions => Set<WebhookSubscriptionEntity>();
    public DbSet<WebhookDeliveryEntity> WebhookDeliveries => Set<WebhookDeliveryEntity>();
    public DbSet<WebhookAttemptEntity> WebhookAttempts => Set<WebhookAttemptEntity>();
    public DbSet<MailboxLeaseEntity> MailboxLeases => Set<MailboxLeaseEntity>();
    public DbSet<DataProtectionKeyEntity> DataProtectionKeys => Set<DataProtectionKeyEntity>();
    public DbSet<ClusterSecretEntity> ClusterSecrets => Set<ClusterSecretEntity>();

    /// <summary>The provider's SQL dialect, for the hand-written statements of the hot paths.</summary>
    public abstract StorageProvider Provider { get; }

    /// <summary>A time as the provider stores it, for parameters of hand-written SQL (the model's converters do this for LINQ).</summary>
    public abstract object ToDbTime(DateTimeOffset value);

    /// <summary>A time column of hand-written SQL's result, as <see cref="ToDbTime"/> stored it.</summary>
    public abstract DateTimeOffset? ReadDbTime(System.Data.Common.DbDataReader reader, int ordinal);

    /// <summary>A GUID as the provider stores it (text on SQLite, uuid on PostgreSQL), by EF's own type mapping.</summary>
    public object ToDbGuid(Guid value) =>
        this.GetService<IRelationalTypeMappingSource>().FindMapping(typeof(Guid))!.Converter is { } converter
            ? converter.ConvertToProvider(value)!
            : value;

    /// <summary>Each entity's table, keys, indexes and relationships are in its own configuration (Model/Configuration).</summary>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new OrganizationConfiguration());
        modelBuilder.ApplyConfiguration(new MailboxConfiguration());
        modelBuilder.ApplyConfiguration(new FolderConfiguration());
        modelBuilder.ApplyConfiguration(new RawMimeConfiguration());
        modelBuilder.ApplyConfiguration(new MessageConfiguration());
        modelBuilder.ApplyConfiguration(new ThreadConfiguration());
        modelBuilder.ApplyConfiguration(new ThreadKeyConfiguration());
        modelBuilder.ApplyConfiguration(new FolderMembershipConfiguration());
        modelBuilder.ApplyConfiguration(new MessageAddressConfiguration());
        modelBuilder.ApplyConfiguration(new AttachmentConfiguration());
        modelBuilder.ApplyConfiguration(new ContactConfiguration());
        modelBuilder.ApplyConfiguration(new ContactAddressConfiguration());
        modelBuilder.ApplyConfiguration(new MessageContactConfiguration());
        modelBuilder.ApplyConfiguration(new SkippedMembershipConfiguration());
        modelBuilder.ApplyConfiguration(new OutboxConfiguration());
        modelBuilder.ApplyConfiguration(new ApiKeyConfiguration());
        modelBuilder.ApplyConfiguration(new UserConfiguration());
        modelBuilder.ApplyConfiguration(new EventConfiguration());
        modelBuilder.ApplyConfiguration(new EventCursorConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookSubscriptionConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookDeliveryConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookAttemptConfiguration());
        modelBuilder.ApplyConfiguration(new MailboxLeaseConfiguration());
        modelBuilder.ApplyConfiguration(new DataProtectionKeyConfiguration());
        modelBuilder.ApplyConfiguration(new ClusterSecretConfiguration());

        SnakeCaseNames.Apply(modelBuilder.Model);
    }
}
