using Mailroom.Core.Accounts;
using Microsoft.EntityFrameworkCore;
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
    public DbSet<EventEntity> Events => Set<EventEntity>();
    public DbSet<EventCursorEntity> EventCursors => Set<EventCursorEntity>();
    public DbSet<WebhookSubscriptionEntity> WebhookSubscriptions => Set<WebhookSubscriptionEntity>();
    public DbSet<WebhookDeliveryEntity> WebhookDeliveries => Set<WebhookDeliveryEntity>();
    public DbSet<WebhookAttemptEntity> WebhookAttempts => Set<WebhookAttemptEntity>();

    /// <summary>The provider's SQL dialect, for the hand-written statements of the hot paths.</summary>
    public abstract StorageProvider Provider { get; }

    /// <summary>A time as the provider stores it, for parameters of hand-written SQL (the model's converters do this for LINQ).</summary>
    public abstract object ToDbTime(DateTimeOffset value);

    /// <summary>A GUID as the provider stores it (text on SQLite, uuid on PostgreSQL), by EF's own type mapping.</summary>
    public object ToDbGuid(Guid value) =>
        this.GetService<IRelationalTypeMappingSource>().FindMapping(typeof(Guid))!.Converter is { } converter
            ? converter.ConvertToProvider(value)!
            : value;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OrganizationEntity>(e =>
        {
            e.ToTable("organizations");
            e.Property(x => x.Name).HasMaxLength(200);
            e.HasIndex(x => x.Name).IsUnique();
        });

        modelBuilder.Entity<MailboxEntity>(e =>
        {
            e.ToTable("mailboxes");
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Protocol).HasConversion(MailboxText.ProtocolConverter).HasMaxLength(20);
            e.Property(x => x.Host).HasMaxLength(255);
            e.Property(x => x.Address).HasMaxLength(320);
            e.Property(x => x.Security).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.State).HasConversion(MailboxText.StateConverter).HasMaxLength(20);
            e.Property(x => x.OAuthProvider).HasMaxLength(100);
            e.Property(x => x.Scope).HasConversion<string>().HasMaxLength(10).HasDefaultValue(MailboxScope.All).HasSentinel((MailboxScope)(-1));
            e.Property(x => x.SmtpHost).HasMaxLength(255);
            e.Property(x => x.SmtpSecurity).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.SentFiling).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(x => new { x.OrganizationId, x.Name }).IsUnique();
            e.HasOne<OrganizationEntity>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<FolderEntity>(e =>
        {
            e.ToTable("folders");
            e.Property(x => x.Role).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.GmailLabel).HasMaxLength(StoredText.MaxIndexedLength);
            e.HasIndex(x => new { x.MailboxId, x.Path }).IsUnique();
            e.HasOne<MailboxEntity>().WithMany().HasForeignKey(x => x.MailboxId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<RawMimeEntity>(e =>
        {
            e.ToTable("raw_mime");
            e.HasKey(x => x.Sha256);
            e.Property(x => x.Sha256).HasMaxLength(64);
        });

        modelBuilder.Entity<MessageEntity>(e =>
        {
            e.ToTable("messages");
            e.Property(x => x.IdentityKey).HasMaxLength(StoredText.MaxIndexedLength);
            e.Property(x => x.RawSha256).HasMaxLength(64);
            e.Property(x => x.MessageIdHeader).HasMaxLength(StoredText.MaxIndexedLength);
            e.HasIndex(x => new { x.MailboxId, x.IdentityKey }).IsUnique();
            e.HasIndex(x => new { x.MailboxId, x.Date });
            // Threading and the Sent-copy check look messages up by Message-ID.
            e.HasIndex(x => new { x.MailboxId, x.MessageIdHeader });
            e.Property(x => x.ProviderThreadId).HasMaxLength(64);
            e.HasIndex(x => new { x.MailboxId, x.ProviderThreadId });
            e.HasIndex(x => x.RawSha256);
            e.Property(x => x.ThreadReason).HasMaxLength(20);
            e.Property(x => x.ThreadSubject).HasMaxLength(StoredText.MaxIndexedLength);
            e.HasIndex(x => x.ThreadId);
            // The subject rule looks up stored messages by subject key within a date window.
            e.HasIndex(x => new { x.MailboxId, x.ThreadSubject, x.Date });
            e.HasOne<MailboxEntity>().WithMany().HasForeignKey(x => x.MailboxId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<RawMimeEntity>().WithMany().HasForeignKey(x => x.RawSha256).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<ThreadEntity>().WithMany().HasForeignKey(x => x.ThreadId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<ThreadEntity>(e =>
        {
            e.ToTable("threads");
            e.Property(x => x.Subject).HasMaxLength(StoredText.MaxIndexedLength);
            e.HasIndex(x => new { x.MailboxId, x.LastDate });
            e.HasOne<MailboxEntity>().WithMany().HasForeignKey(x => x.MailboxId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ThreadKeyEntity>(e =>
        {
            e.ToTable("thread_keys");
            e.HasKey(x => new { x.MailboxId, x.Key });
            e.Property(x => x.Key).HasMaxLength(StoredText.MaxIndexedLength);
            e.HasIndex(x => x.ThreadId);
            e.HasOne<ThreadEntity>().WithMany().HasForeignKey(x => x.ThreadId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<FolderMembershipEntity>(e =>
        {
            e.ToTable("folder_memberships");
            e.Property(x => x.RawSha256).HasMaxLength(64);
            e.HasIndex(x => new { x.FolderId, x.Uid }).IsUnique();
            e.Property(x => x.RemoteId).HasMaxLength(StoredText.MaxIndexedLength);
            e.HasIndex(x => new { x.FolderId, x.RemoteId }).IsUnique();
            e.HasIndex(x => x.MessageId);
            e.HasIndex(x => x.RawSha256);
            e.HasOne<FolderEntity>().WithMany().HasForeignKey(x => x.FolderId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<MessageEntity>().WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<RawMimeEntity>().WithMany().HasForeignKey(x => x.RawSha256).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<MessageAddressEntity>(e =>
        {
            e.ToTable("message_addresses");
            e.HasKey(x => new { x.MessageId, x.Position });
            e.Property(x => x.Role).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.Address).HasMaxLength(StoredText.MaxIndexedLength);
            e.Property(x => x.AddressNormalized).HasMaxLength(StoredText.MaxIndexedLength);
            e.Property(x => x.AddressKey).HasMaxLength(StoredText.MaxIndexedLength);
            e.HasIndex(x => x.AddressNormalized);
            e.HasIndex(x => x.AddressKey);
            e.HasOne<MessageEntity>().WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AttachmentEntity>(e =>
        {
            e.ToTable("attachments");
            e.HasKey(x => new { x.MessageId, x.Position });
            e.HasOne<MessageEntity>().WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ContactEntity>(e =>
        {
            e.ToTable("contacts");
            e.Property(x => x.ExternalId).HasMaxLength(200);
            e.Property(x => x.Name).HasMaxLength(200);
            e.HasIndex(x => new { x.OrganizationId, x.ExternalId }).IsUnique();
            e.HasOne<OrganizationEntity>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ContactAddressEntity>(e =>
        {
            e.ToTable("contact_addresses");
            e.HasKey(x => new { x.ContactId, x.AddressNormalized });
            e.Property(x => x.AddressNormalized).HasMaxLength(StoredText.MaxIndexedLength);
            e.Property(x => x.AddressKey).HasMaxLength(StoredText.MaxIndexedLength);
            e.HasIndex(x => new { x.OrganizationId, x.AddressNormalized });
            e.HasIndex(x => new { x.OrganizationId, x.AddressKey });
            e.HasOne<ContactEntity>().WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<MessageContactEntity>(e =>
        {
            e.ToTable("message_contacts");
            e.HasKey(x => new { x.ContactId, x.MessageId });
            e.Property(x => x.DedupeKey).HasMaxLength(StoredText.MaxIndexedLength);
            // The timeline: a contact's links newest first (keyset on sort time and id), and the copies of one email.
            e.HasIndex(x => new { x.ContactId, x.SortDate, x.MessageId });
            e.HasIndex(x => new { x.ContactId, x.DedupeKey });
            e.HasIndex(x => x.MessageId);
            e.HasOne<ContactEntity>().WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<MessageEntity>().WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SkippedMembershipEntity>(e =>
        {
            e.ToTable("skipped_memberships");
            e.HasIndex(x => new { x.FolderId, x.Uid }).IsUnique();
            e.HasOne<FolderEntity>().WithMany().HasForeignKey(x => x.FolderId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<OutboxEntity>(e =>
        {
            e.ToTable("outbox");
            e.Property(x => x.IdempotencyKey).HasMaxLength(200);
            e.Property(x => x.MessageIdHeader).HasMaxLength(StoredText.MaxIndexedLength);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.SentCopy).HasConversion<string>().HasMaxLength(20);
            // The database keeps a request from being queued twice, whatever the callers do.
            e.HasIndex(x => new { x.MailboxId, x.IdempotencyKey }).IsUnique();
            // Claims look for due rows; the Sent-copy pass for sent rows with a pending copy.
            e.HasIndex(x => new { x.State, x.NextAttemptAt });
            e.HasIndex(x => new { x.MailboxId, x.SentCopy });
            e.HasIndex(x => x.ClaimToken);
            e.HasIndex(x => new { x.MailboxId, x.MessageIdHeader });
            e.HasOne<MailboxEntity>().WithMany().HasForeignKey(x => x.MailboxId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ApiKeyEntity>(e =>
        {
            e.ToTable("api_keys");
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Prefix).HasMaxLength(20);
            e.Property(x => x.Hash).HasMaxLength(64);
            // Authentication finds a key by its hash: unique, so a key names exactly one organization.
            e.HasIndex(x => x.Hash).IsUnique();
            e.HasIndex(x => x.OrganizationId);
            e.HasOne<OrganizationEntity>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<EventEntity>(e =>
        {
            e.ToTable("events");
            e.Property(x => x.Type).HasMaxLength(40);
            // The changes feed reads one organization's events after a cursor; no foreign keys, since events outlive their subjects.
            e.HasIndex(x => new { x.OrganizationId, x.Id });
        });

        modelBuilder.Entity<EventCursorEntity>(e =>
        {
            e.ToTable("event_cursors");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(40);
        });

        modelBuilder.Entity<WebhookSubscriptionEntity>(e =>
        {
            e.ToTable("webhook_subscriptions");
            e.Property(x => x.Url).HasMaxLength(2000);
            e.Property(x => x.EventTypes).HasMaxLength(1000);
            e.HasIndex(x => x.OrganizationId);
            e.HasOne<OrganizationEntity>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<WebhookDeliveryEntity>(e =>
        {
            e.ToTable("webhook_deliveries");
            e.Property(x => x.EventType).HasMaxLength(40);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
            // One delivery per event and subscription, whatever number of dispatchers run.
            e.HasIndex(x => new { x.SubscriptionId, x.EventId }).IsUnique();
            e.HasIndex(x => new { x.State, x.NextAttemptAt });
            e.HasIndex(x => x.ClaimToken);
            e.HasOne<WebhookSubscriptionEntity>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<WebhookAttemptEntity>(e =>
        {
            e.ToTable("webhook_attempts");
            e.HasIndex(x => new { x.DeliveryId, x.Attempt });
            e.HasOne<WebhookDeliveryEntity>().WithMany().HasForeignKey(x => x.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        });

        SnakeCaseNames.Apply(modelBuilder.Model);
    }
}
